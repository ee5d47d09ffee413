package io.vxcable.observability;

import io.vertx.core.Vertx;
import io.vxcable.config.Settings;
import java.util.function.LongSupplier;

/**
 * The metrics facade every verticle reports through, named after anycable-go's metrics
 * ({@code clients_num}, {@code rpc_call_total}, ...; the exporters add the {@code anycable_go}
 * prefix). One instance per process ({@link #of(Vertx, Settings)}): {@link #NOOP} when no exporter
 * is on, {@link MicrometerMetrics} otherwise.
 *
 * <p>Hot paths keep their own plain counters (fields their event loop increments) and register a
 * reader with {@link #counter(String, String, LongSupplier)}: nothing is paid per message, the
 * sources of one name are added up when the metrics are read. Sources must be cheap and safe to
 * call from another thread (a racy read of a long field is fine).
 */
public interface Metrics {

  /** Reports nothing; the default when no exporter is configured. */
  Metrics NOOP = new NoopMetrics();

  /** A cumulative counter read from the caller's own tally; sources of one name add up. */
  void counter(String name, String help, LongSupplier source);

  /** A cumulative counter the caller increments, from any thread. */
  Counter counter(String name, String help);

  /** A gauge read when the metrics are exported; sources of one name add up. */
  void gauge(String name, String help, LongSupplier source);

  /**
   * A gauge sampled every {@code --stats_refresh_interval} (anycable-go's interval metrics, such as
   * {@code clients_num}); sources of one name add up.
   */
  void intervalGauge(String name, String help, LongSupplier source);

  /**
   * An interval gauge counting the distinct keys held anywhere in the process
   * ({@code clients_uniq_num}, {@code broadcast_streams_num}): every holder (an engine) adds a key
   * once and removes it once; every call with one name returns the same process-wide set.
   */
  KeyCount keyCount(String name, String help);

  /** A process-wide key set like {@link #keyCount} that is not reported (for {@link KeyCount#first}). */
  KeyCount holders(String name);

  /** A histogram of durations (in seconds for Prometheus). */
  Latency latency(String name, String help);

  /** A histogram of amounts (message counts, sizes). */
  Amounts amounts(String name, String help);

  /** Whether anything is reported (false for {@link #NOOP}): lets callers skip clock reads. */
  default boolean enabled() {
    return true;
  }

  /** The process's metrics for {@code vertx}: {@link #NOOP} until a verticle or the launcher created them. */
  static Metrics of(Vertx vertx) {
    return MetricsHolder.get(vertx);
  }

  /**
   * The process's metrics for {@code vertx}, created from {@code settings} (and their exporters
   * started) by the first verticle of the process to ask; later settings are ignored.
   */
  static Metrics of(Vertx vertx, Settings settings) {
    return MetricsHolder.getOrCreate(vertx, settings);
  }

  /** A counter a caller increments. */
  interface Counter {
    void add(long n);

    default void inc() {
      add(1);
    }
  }

  /** Distinct keys held by any holder in the process; each holder adds and removes a key once. */
  interface KeyCount {
    void add(String key, Object holder);

    void remove(String key, Object holder);

    /**
     * Whether {@code holder} is the key's first current holder: one holder speaks for the process
     * (a broadcast reaching every engine that holds its stream is counted once). Always true when
     * nothing is reported.
     */
    boolean first(String key, Object holder);
  }

  /** Records durations. */
  interface Latency {
    void recordNanos(long nanos);

    /** The age of something stamped at {@code wallClockMicros} ({@link WallClock}); nothing when 0 (unstamped). */
    default void sinceMicros(long wallClockMicros) {
      if (wallClockMicros > 0) {
        recordNanos(WallClock.nanosSince(wallClockMicros));
      }
    }
  }

  /** Records amounts. */
  interface Amounts {
    void record(long amount);
  }
}
