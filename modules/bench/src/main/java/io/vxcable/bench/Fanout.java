package io.vxcable.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code fanout}: N subscribers, M broadcasts posted to the HTTP intake at a fixed rate; latency
 * from the POST to each receipt (the publisher and the clients share this process's clock),
 * delivered/expected and deliveries per second. {@code --client raw} (the default but for
 * Socket.IO and {@code --compress}) connects with {@link RawConnect} and reads with
 * {@link RawReceive} on {@code --client-threads} threads (1); {@code --client vertx} with Vert.x's
 * WebSocket client. With {@code --pid}, each measured step says where the machine's time went.
 */
final class Fanout {

  private final Vertx vertx;
  private final Options o;

  Fanout(Vertx vertx, Options o) {
    this.vertx = vertx;
    this.o = o;
  }

  JsonObject run() throws Exception {
    int clients = o.integer("clients", 1000);
    int broadcasts = o.integer("broadcasts", 200);
    double rate = o.decimal("rate", 20);
    String stream = o.string("stream", "bench");
    Protocol protocol = Protocol.of(o.string("protocol", "actioncable"));
    Recorder latencies = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong delivered = new AtomicLong();
    AtomicLong lastReceipt = new AtomicLong();
    String url = o.string("url", "ws://127.0.0.1:8080/cable");
    List<String> sources = o.list("local-addresses", "");
    boolean compress = Boolean.parseBoolean(o.string("compress", "false"));
    // The lean client for Action Cable and bare WebSocket; Socket.IO and compression go through Vert.x's.
    String client = o.string("client", protocol == Protocol.SOCKETIO || compress ? "vertx" : "raw");
    long connectStart = System.nanoTime();
    int connected;
    AutoCloseable pool;
    // Connections the server ended while the run read them (the lean client counts them).
    java.util.function.IntSupplier closedByServer = null;
    if (client.equals("raw")) {
      if (compress) {
        throw new IllegalArgumentException("--client raw does not offer compression: use --client vertx");
      }
      int threads = o.integer("client-threads", 1);
      RawConnect raw = new RawConnect(url, protocol, stream, sources, o.integer("timeout-ms", 30_000));
      connected = raw.connect(clients, o.integer("concurrency", 200), threads).connected();
      RawReceive receive = new RawReceive(raw.opened(), threads, (a, off, len) -> {
        long sent = Payload.sentAt(a, off, len);
        if (sent > 0) {
          received(sent, latencies, delivered, lastReceipt);
        }
      }).start();
      closedByServer = receive.closed::get;
      pool = () -> {
        receive.close();
        raw.close();
      };
    } else if (client.equals("vertx")) {
      Clients vertxPool = new Clients(vertx, url, protocol, stream, sources, compress);
      vertxPool.connect(clients, o.integer("concurrency", 200), frame -> {
        long sent = protocol.delivery(frame) ? Payload.field(frame, "t") : -1;
        if (sent > 0) {
          received(sent, latencies, delivered, lastReceipt);
        }
      }).await(10, TimeUnit.MINUTES);
      connected = clients - vertxPool.failed.get();
      pool = () -> vertxPool.close().await(60, TimeUnit.SECONDS);
    } else {
      throw new IllegalArgumentException("unknown --client: " + client + " (raw, vertx)");
    }
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    Thread.sleep(o.integer("settle-ms", 1000));
    int warmup = o.integer("warmup", 50);
    if (warmup > 0) {
      // JIT warm-up for the server and this client: published and received, not counted.
      int warmupErrors = publish(stream, warmup, rate).await(30, TimeUnit.MINUTES);
      long warmupExpected = (long) connected * (warmup - warmupErrors);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (delivered.get() < warmupExpected && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      Thread.sleep(500);
    }

    JsonObject out = new JsonObject().put("mode", "fanout").put("target", o.string("target", "vxcable"))
        .put("protocol", protocol.name().toLowerCase()).put("client", client).put("clients", clients).put("connected", connected)
        .put("connect_seconds", round(connectSeconds)).put("warmup", warmup);
    if (Boolean.parseBoolean(o.string("throughput", "false"))) {
      throughput(out, stream, connected, latencies, delivered, lastReceipt);
    } else {
      out.mergeIn(step(stream, broadcasts, rate, connected, latencies, delivered, lastReceipt));
    }
    if (closedByServer != null) {
      out.put("closed_by_server", closedByServer.getAsInt());
    }
    pool.close();
    return out;
  }

  private static void received(long sent, Recorder latencies, AtomicLong delivered, AtomicLong lastReceipt) {
    long now = System.nanoTime();
    latencies.recordValue(Math.max(0, now - sent));
    delivered.incrementAndGet();
    lastReceipt.accumulateAndGet(now, Math::max);
  }

  /** One measured phase: {@code broadcasts} at {@code rate}, then waiting for every delivery (bounded). */
  private JsonObject step(String stream, int broadcasts, double rate, int connected, Recorder latencies, AtomicLong delivered,
      AtomicLong lastReceipt) throws Exception {
    latencies.reset();
    delivered.set(0);
    lastReceipt.set(0);
    CpuWindow window = new CpuWindow(o.integer("pid", 0));
    long start = System.nanoTime();
    int errors = publish(stream, broadcasts, rate).await(30, TimeUnit.MINUTES);
    long expected = (long) connected * (broadcasts - errors);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.integer("drain-seconds", 15));
    while (delivered.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    window.end();
    Histogram h = latencies.getIntervalHistogram();
    double seconds = (Math.max(lastReceipt.get(), start + 1) - start) / 1e9;
    return new JsonObject().put("broadcasts", broadcasts).put("publish_errors", errors)
        .put("rate_per_s", rate).put("expected", expected).put("delivered", delivered.get())
        .put("delivered_ratio", expected == 0 ? 0 : round((double) delivered.get() / expected))
        .put("deliveries_per_s", Math.round(delivered.get() / seconds))
        .put("latency_ms", new JsonObject().put("p50", ms(h.getValueAtPercentile(50))).put("p95", ms(h.getValueAtPercentile(95)))
            .put("p99", ms(h.getValueAtPercentile(99))).put("max", ms(h.getMaxValue())))
        .put("cpu", window.cpu);
  }

  /**
   * Throughput mode: steps of {@code --step-seconds} at a rate multiplied by 1.5 each time, from
   * {@code --rate}, until a step loses a message or its p99 passes {@code --max-p99-ms}; reports
   * every step and the last one that held.
   */
  private void throughput(JsonObject out, String stream, int connected, Recorder latencies, AtomicLong delivered,
      AtomicLong lastReceipt) throws Exception {
    double rate = o.decimal("rate", 20);
    double maxP99 = o.decimal("max-p99-ms", 100);
    int stepSeconds = o.integer("step-seconds", 5);
    JsonArray steps = new JsonArray();
    JsonObject best = null;
    for (int i = 0; i < o.integer("max-steps", 12); i++) {
      JsonObject step = step(stream, (int) Math.max(1, Math.round(rate * stepSeconds)), rate, connected, latencies, delivered,
          lastReceipt);
      steps.add(step);
      Progress.print("throughput", "step " + (i + 1) + ", " + step.getDouble("rate_per_s") + " broadcasts/s: delivered "
          + step.getDouble("delivered_ratio") + ", p99 " + step.getJsonObject("latency_ms").getDouble("p99") + " ms");
      boolean held = step.getDouble("delivered_ratio") >= 1.0 && step.getJsonObject("latency_ms").getDouble("p99") <= maxP99;
      if (!held) {
        break;
      }
      best = step;
      rate = Math.round(rate * 1.5 * 10) / 10.0;
      Thread.sleep(1000);
    }
    out.put("throughput", true).put("max_p99_ms", maxP99).put("steps", steps)
        .put("sustained", best == null ? null : new JsonObject().put("rate_per_s", best.getDouble("rate_per_s"))
            .put("deliveries_per_s", best.getLong("deliveries_per_s")).put("latency_ms", best.getJsonObject("latency_ms")));
  }

  private Future<Integer> publish(String stream, int count, double rate) {
    return publish(vertx, o, stream, count, rate);
  }

  /** Posts {@code count} publications at {@code rate} per second to {@code --broadcast-url}; completes with the failures. */
  static Future<Integer> publish(Vertx vertx, Options o, String stream, int count, double rate) {
    URI url = URI.create(o.string("broadcast-url", "http://127.0.0.1:8090/_broadcast"));
    String key = o.string("broadcast-key", "");
    String pad = Payload.padding(o.integer("padding", 0));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
    Promise<Integer> done = Promise.promise();
    AtomicLong sent = new AtomicLong();
    AtomicLong finished = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    long t0 = System.nanoTime();
    long timer = vertx.setPeriodic(1, id -> {
      long due = Math.min(count, (long) Math.floor((System.nanoTime() - t0) / 1e9 * rate) + 1);
      while (sent.get() < due) {
        long seq = sent.incrementAndGet();
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
            .setURI(url.getRawPath()).putHeader("Content-Type", "application/json");
        if (!key.isEmpty()) {
          req.putHeader("Authorization", "Bearer " + key);
        }
        http.request(req)
            .compose(r -> r.send(Buffer.buffer(Payload.publication(stream, seq, System.nanoTime(), pad))))
            .onComplete(ar -> {
              if (ar.failed() || ar.result().statusCode() >= 300) {
                failures.incrementAndGet();
              }
              if (finished.incrementAndGet() == count) {
                done.tryComplete((int) failures.get());
              }
            });
      }
    });
    return done.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      http.close();
    });
  }

  static double ms(long nanos) {
    return round(nanos / 1e6);
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
