package io.vxcable.observability;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The facade on Micrometer. Every metric is also kept in a table of its own (name, kind, summed
 * sources) that the StatsD and log exporters read in anycable-go's formats; the Prometheus
 * endpoint is the Micrometer registry's scrape, which also holds the Vert.x and JVM meters when
 * the launcher bound them. Names get the {@code anycable_go_} prefix in Micrometer.
 */
public final class MicrometerMetrics implements Metrics, Shareable {

  /** Prometheus name prefix (anycable-go's). */
  public static final String PREFIX = "anycable_go_";
  /** The Prometheus text exposition's content type. */
  public static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private static final double[] AMOUNT_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

  /** How a metric is exported. */
  public enum Kind { COUNTER, GAUGE, INTERVAL_GAUGE }

  /** One metric of the table: its sources add up. */
  static final class Entry {
    final String name;
    final Kind kind;
    final List<LongSupplier> sources = new CopyOnWriteArrayList<>();
    volatile long sampled;

    Entry(String name, Kind kind) {
      this.name = name;
      this.kind = kind;
    }

    long read() {
      long sum = 0;
      for (LongSupplier s : sources) {
        sum += s.getAsLong();
      }
      return sum;
    }

    double value() {
      return kind == Kind.INTERVAL_GAUGE ? sampled : read();
    }
  }

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final MetricsConfig config;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Holders> keySets = new ConcurrentHashMap<>();

  /**
   * @param registry where the meters go: a {@link PrometheusMeterRegistry} for the endpoint, else
   *     any registry (a {@link SimpleMeterRegistry} for StatsD and log lines only), with the
   *     config's tags already set as common tags ({@link #commonTags})
   */
  public MicrometerMetrics(MeterRegistry registry, MetricsConfig config) {
    this.registry = registry;
    this.prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
    this.config = config;
    RuntimeGauges.register(this);
  }

  /** Sets {@code config}'s tags on every meter of {@code registry}: call before registering any. */
  static void commonTags(MeterRegistry registry, MetricsConfig config) {
    List<Tag> tags = new ArrayList<>();
    config.tags().forEach((k, v) -> tags.add(Tag.of(k, v)));
    registry.config().commonTags(tags);
  }

  public MetricsConfig config() {
    return config;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition, or null when the registry is not Prometheus's. */
  public String scrape() {
    return prometheus == null ? null : prometheus.scrape();
  }

  private Entry entry(String name, String help, Kind kind) {
    Entry e = entries.computeIfAbsent(name, n -> bind(new Entry(n, kind), help));
    if (e.kind != kind) {
      throw new IllegalArgumentException(name + " is already a " + e.kind);
    }
    return e;
  }

  private Entry bind(Entry e, String help) {
    if (e.kind == Kind.COUNTER) {
      FunctionCounter.builder(PREFIX + e.name, e, Entry::value).description(help).register(registry);
    } else {
      Gauge.builder(PREFIX + e.name, e, Entry::value).description(help).strongReference(true).register(registry);
    }
    return e;
  }

  @Override
  public void counter(String name, String help, LongSupplier source) {
    entry(name, help, Kind.COUNTER).sources.add(source);
  }

  @Override
  public Counter counter(String name, String help) {
    LongAdder adder = new LongAdder();
    counter(name, help, adder::sum);
    return adder::add;
  }

  @Override
  public void gauge(String name, String help, LongSupplier source) {
    entry(name, help, Kind.GAUGE).sources.add(source);
  }

  @Override
  public void intervalGauge(String name, String help, LongSupplier source) {
    Entry e = entry(name, help, Kind.INTERVAL_GAUGE);
    e.sources.add(source);
    e.sampled = e.read();
  }

  @Override
  public KeyCount keyCount(String name, String help) {
    return keySets.computeIfAbsent(name, n -> {
      Holders h = new Holders();
      intervalGauge(n, help, h.held::size);
      return h;
    });
  }

  @Override
  public KeyCount holders(String name) {
    return keySets.computeIfAbsent("\0" + name, n -> new Holders());
  }

  /** A process-wide key set: each key with the holders that added it, in order. */
  private static final class Holders implements KeyCount {
    final Map<String, Object[]> held = new ConcurrentHashMap<>();

    @Override
    public void add(String key, Object holder) {
      held.compute(key, (k, hs) -> {
        if (hs == null) {
          return new Object[] {holder};
        }
        Object[] more = Arrays.copyOf(hs, hs.length + 1);
        more[hs.length] = holder;
        return more;
      });
    }

    @Override
    public void remove(String key, Object holder) {
      held.computeIfPresent(key, (k, hs) -> {
        for (int i = 0; i < hs.length; i++) {
          if (hs[i] == holder) {
            if (hs.length == 1) {
              return null;
            }
            Object[] fewer = new Object[hs.length - 1];
            System.arraycopy(hs, 0, fewer, 0, i);
            System.arraycopy(hs, i + 1, fewer, i, hs.length - i - 1);
            return fewer;
          }
        }
        return hs;
      });
    }

    @Override
    public boolean first(String key, Object holder) {
      Object[] hs = held.get(key);
      return hs != null && hs[0] == holder;
    }
  }

  @Override
  public Latency latency(String name, String help) {
    Timer timer = Timer.builder(PREFIX + name).description(help).serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public Amounts amounts(String name, String help) {
    DistributionSummary summary = DistributionSummary.builder(PREFIX + name).description(help)
        .serviceLevelObjectives(AMOUNT_BUCKETS).register(registry);
    return summary::record;
  }

  /** Samples the interval gauges (every {@code --stats_refresh_interval}). */
  public void refresh() {
    for (Entry e : entries.values()) {
      if (e.kind == Kind.INTERVAL_GAUGE) {
        e.sampled = e.read();
      }
    }
  }

  /** Every metric of the table by name, with its kind and current value (counters cumulative). */
  public SortedMap<String, Sample> snapshot() {
    SortedMap<String, Sample> out = new TreeMap<>();
    entries.values().forEach(e -> out.put(e.name, new Sample(e.kind, (long) e.value())));
    return out;
  }

  /** The current value of a metric of the table (0 when nobody registered it). */
  public long value(String name) {
    Entry e = entries.get(name);
    return e == null ? 0 : (long) e.value();
  }

  /** A metric's kind and value at one moment. */
  public record Sample(Kind kind, long value) {}
}
