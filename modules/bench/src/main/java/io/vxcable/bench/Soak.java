package io.vxcable.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code soak}: N subscribers and a constant broadcast rate for {@code --duration-s}, while a few
 * extra clients connect, subscribe and leave every second (session set-up and clean-up under
 * load). Every {@code --sample-s} the server's RSS and, for a JVM, its used heap after a full GC
 * ({@code jcmd GC.run}, so the server pauses briefly at each sample) are sampled with the window's
 * delivery ratio and p99; the result compares the last sample with the first one after
 * {@code --warmup-s}, and counts every delivery against every broadcast.
 */
final class Soak {

  private final Vertx vertx;
  private final Options o;

  Soak(Vertx vertx, Options o) {
    this.vertx = vertx;
    this.o = o;
  }

  JsonObject run() throws Exception {
    int clients = o.integer("clients", 1000);
    double rate = o.decimal("rate", 20);
    int durationS = o.integer("duration-s", 600);
    int warmupS = o.integer("warmup-s", 60);
    int sampleS = o.integer("sample-s", 30);
    int churn = o.integer("churn-per-s", 5);
    long pid = Long.parseLong(o.string("pid", "0"));
    if (pid <= 0) {
      throw new IllegalArgumentException("soak needs --pid <server pid> to read its memory");
    }
    if (warmupS >= durationS) {
      throw new IllegalArgumentException("--warmup-s must be shorter than --duration-s");
    }
    boolean jvm = Boolean.parseBoolean(o.string("jvm", "false"));
    String url = o.string("url", "ws://127.0.0.1:8080/cable");
    String stream = o.string("stream", "soak");
    Protocol protocol = Protocol.of(o.string("protocol", "actioncable"));

    Recorder latencies = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong delivered = new AtomicLong();
    AtomicLong total = new AtomicLong();
    Clients pool = new Clients(vertx, url, protocol, stream, o.list("local-addresses", ""));
    pool.connect(clients, o.integer("concurrency", 200), frame -> {
      if (protocol.delivery(frame)) {
        long sent = Payload.field(frame, "t");
        if (sent > 0) {
          latencies.recordValue(Math.max(0, System.nanoTime() - sent));
          delivered.incrementAndGet();
          total.incrementAndGet();
        }
      }
    }).await(10, TimeUnit.MINUTES);
    int connected = clients - pool.failed.get();

    long broadcasts = Math.round(rate * durationS);
    var publishing = Fanout.publish(vertx, o, stream, (int) broadcasts, rate);
    AtomicInteger churned = new AtomicInteger();
    AtomicInteger churnFailures = new AtomicInteger();
    long churnTimer = churn <= 0 ? -1 : vertx.setPeriodic(1000, id -> {
      Clients visitors = new Clients(vertx, url, protocol, stream, o.list("local-addresses", ""));
      visitors.connect(churn, churn, frame -> { }).onComplete(ar -> {
        churned.addAndGet(churn - visitors.failed.get());
        churnFailures.addAndGet(visitors.failed.get());
        visitors.shutdown();
      });
    });

    JsonArray samples = new JsonArray();
    long start = System.nanoTime();
    long publishedBefore = 0;
    for (int t = sampleS; t <= durationS; t += sampleS) {
      long due = start + TimeUnit.SECONDS.toNanos(t);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
      }
      Histogram window = latencies.getIntervalHistogram();
      long got = delivered.getAndSet(0);
      long published = Math.min(broadcasts, Math.round(rate * t));
      long expected = (published - publishedBefore) * connected;
      publishedBefore = published;
      JsonObject sample = new JsonObject().put("t_s", t).put("rss_kb", Idle.rssKb(pid))
          .put("window_delivered_ratio", expected == 0 ? 0 : Fanout.round((double) got / expected))
          .put("p99_ms", Fanout.ms(window.getValueAtPercentile(99)));
      if (jvm) {
        sample.put("heap_kb", Idle.heapUsedKb(pid));
      }
      samples.add(sample);
      Progress.print("soak", t + " of " + durationS + " s, RSS " + sample.getLong("rss_kb") / 1024 + " MB, window delivered "
          + sample.getDouble("window_delivered_ratio") + ", p99 " + sample.getValue("p99_ms") + " ms");
    }
    if (churnTimer >= 0) {
      vertx.cancelTimer(churnTimer);
    }
    int publishErrors = publishing.await(2, TimeUnit.MINUTES);
    long expectedTotal = (broadcasts - publishErrors) * connected;
    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (total.get() < expectedTotal && System.nanoTime() < drainUntil) {
      Thread.sleep(50);
    }
    pool.shutdown().await(120, TimeUnit.SECONDS);

    JsonObject warm = null;
    for (int i = 0; i < samples.size() && warm == null; i++) {
      if (samples.getJsonObject(i).getInteger("t_s") >= warmupS) {
        warm = samples.getJsonObject(i);
      }
    }
    JsonObject last = samples.getJsonObject(samples.size() - 1);
    JsonObject out = new JsonObject().put("mode", "soak").put("target", o.string("target", "vxcable"))
        .put("protocol", protocol.name().toLowerCase()).put("clients", clients).put("connected", connected)
        .put("rate_per_s", rate).put("duration_s", durationS).put("warmup_s", warmupS).put("broadcasts", broadcasts)
        .put("publish_errors", publishErrors).put("churned_clients", churned.get()).put("churn_failures", churnFailures.get())
        .put("rss_after_warmup_kb", warm.getLong("rss_kb")).put("rss_end_kb", last.getLong("rss_kb"))
        .put("rss_growth_pct", growth(warm.getLong("rss_kb"), last.getLong("rss_kb")));
    if (jvm) {
      out.put("heap_after_warmup_kb", warm.getLong("heap_kb")).put("heap_end_kb", last.getLong("heap_kb"))
          .put("heap_growth_pct", growth(warm.getLong("heap_kb"), last.getLong("heap_kb")));
    }
    double worst = 1;
    for (int i = 0; i < samples.size(); i++) {
      worst = Math.min(worst, samples.getJsonObject(i).getDouble("window_delivered_ratio"));
    }
    // Windows are cut at sampling time, so a delivery near a boundary counts in the next one.
    return out.put("delivered_ratio", expectedTotal == 0 ? 0 : Fanout.round((double) total.get() / expectedTotal))
        .put("worst_window_delivered_ratio", worst).put("samples", samples);
  }

  private static double growth(long from, long to) {
    return from == 0 ? 0 : Math.round((to - from) * 1000.0 / from) / 10.0;
  }
}
