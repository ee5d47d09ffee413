package io.vxcable.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code storm}: a reconnect storm. {@code --clients} extended-protocol clients, spread over
 * {@code --source-ips} loopback addresses, connect through the application ({@link StormApp}, HTTP
 * RPC, {@code --rpc-latency-ms} per Connect) and subscribe; broadcasts flow at {@code --rate}; then
 * every client drops its connection at the same instant and comes back at once with a jittered
 * exponential backoff (200 ms, x2, up to 30 s, +-50 %: the field report's cure) resuming its
 * session by {@code ?sid=} and asking for what it missed ({@code --resume false}: as new sessions,
 * through Connect and subscribe again, as after a restart that lost the sessions). A shed connection
 * ({@code --max_pending_connections}, {@code --max_conn_rate_per_ip}) backs off the same way.
 *
 * <p>Result: how long until every client was resubscribed, the application calls the storm made,
 * the server's peak CPU and RSS ({@code --pid}), sessions that were established again and then
 * lost, connections shed, and whether every client ended with every accepted broadcast once, in
 * order.
 */
final class Storm {

  private final Vertx vertx;
  private final Options o;
  private final List<StormClient> all = new ArrayList<>();
  final Histogram steadyLatency = new Histogram(3_600_000_000_000L, 3);
  final Histogram stormLatency = new Histogram(3_600_000_000_000L, 3);
  final ConcurrentHashMap<Long, Long> accepted = new ConcurrentHashMap<>();
  volatile long dropAt;
  volatile boolean recovered;
  volatile boolean finished;

  Storm(Vertx vertx, Options o) {
    this.vertx = vertx;
    this.o = o;
  }

  JsonObject run() throws Exception {
    int clients = o.integer("clients", 19_000);
    int sourceIps = o.integer("source-ips", 100);
    int rpcPort = o.integer("rpc-port", 0);
    if (rpcPort <= 0) {
      throw new IllegalArgumentException("--rpc-port is required (start the server with --rpc_host=http://127.0.0.1:<port>/_anycable)");
    }
    String stream = o.string("stream", "storm-" + System.currentTimeMillis());
    StormApp app = new StormApp(vertx, stream, o.integer("rpc-latency-ms", 20));
    app.listen(rpcPort).await(10, TimeUnit.SECONDS);
    URI url = URI.create(o.string("url", "ws://127.0.0.1:8080/cable"));
    long pid = o.integer("pid", 0);

    List<WebSocketClient> sockets = new ArrayList<>();
    for (int i = 0; i < sourceIps; i++) {
      WebSocketClientOptions wo = new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE).setConnectTimeout(30_000)
          .setLocalAddress(sourceIps == 1 ? "127.0.0.1" : "127.1." + (i / 250) + "." + (i % 250 + 1));
      sockets.add(vertx.createWebSocketClient(wo));
    }
    for (int i = 0; i < clients; i++) {
      all.add(new StormClient(this, vertx.getOrCreateContext(), sockets.get(i % sockets.size()), url));
    }

    // Ramp up, a bounded number of handshakes at a time.
    long rampStart = System.nanoTime();
    int concurrency = o.integer("concurrency", 200);
    for (int i = 0; i < clients; i++) {
      while (i - countSubscribed() >= concurrency && System.nanoTime() - rampStart < TimeUnit.SECONDS.toNanos(300)) {
        Thread.sleep(5);
      }
      all.get(i).start();
    }
    waitFor(() -> countSubscribed() == clients, 120);
    double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
    int subscribed = countSubscribed();

    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(8));
    URI broadcastUrl = URI.create(o.string("broadcast-url", "http://127.0.0.1:8090/_broadcast"));
    double rate = o.decimal("rate", 2);
    AtomicLong seqs = new AtomicLong();
    long publisher = vertx.setPeriodic(Math.max(1, (long) (1000 / rate)), id -> publish(http, broadcastUrl, stream, seqs.incrementAndGet()));

    Thread.sleep(TimeUnit.SECONDS.toMillis(o.integer("settle-seconds", 5)));
    long connectsBefore = app.connects.get();
    long commandsBefore = app.commands.get();
    long disconnectsBefore = app.disconnects.get();
    ProcSampler sampler = pid > 0 ? new ProcSampler(pid) : null;
    ProcSampler.Peak before = sampler == null ? null : sampler.sampleFor(2_000);

    dropAt = System.nanoTime();
    boolean resume = !"false".equals(o.string("resume", "true"));
    all.forEach(c -> c.drop(!resume));
    ProcSampler.Peak during = null;
    long limit = dropAt + TimeUnit.SECONDS.toNanos(o.integer("storm-seconds", 90));
    if (sampler != null) {
      during = sampler.sampleUntil(() -> countResubscribed() == clients || System.nanoTime() > limit, 250);
    } else {
      waitFor(() -> countResubscribed() == clients, o.integer("storm-seconds", 90));
    }
    recovered = true;
    double recoverySeconds = (System.nanoTime() - dropAt) / 1e9;
    long stormConnects = app.connects.get() - connectsBefore;
    long stormCommands = app.commands.get() - commandsBefore;
    long stormDisconnects = app.disconnects.get() - disconnectsBefore;

    Thread.sleep(3_000);
    vertx.cancelTimer(publisher);
    waitFor(() -> all.stream().allMatch(c -> c.missing(accepted.keySet()) == 0), o.integer("drain-seconds", 20));
    finished = true;

    List<Double> resubscribe = new ArrayList<>();
    long missing = 0;
    long duplicates = 0;
    long outOfOrder = 0;
    long lost = 0;
    long shed = 0;
    long authErrors = 0;
    long connectFailures = 0;
    long restored = 0;
    long subscribeRetries = 0;
    long complete = 0;
    for (StormClient c : all) {
      if (c.resubscribedAt > 0) {
        resubscribe.add((c.resubscribedAt - dropAt) / 1e9);
      }
      long m = c.missing(accepted.keySet());
      missing += m;
      complete += m == 0 ? 1 : 0;
      duplicates += c.duplicates;
      outOfOrder += c.outOfOrder;
      lost += c.lostAfterEstablished;
      shed += c.shed;
      authErrors += c.authErrors;
      connectFailures += c.connectFailures;
      restored += c.restored ? 1 : 0;
      subscribeRetries += c.subscribeRetries;
      c.close();
    }
    resubscribe.sort(Double::compare);
    http.close();
    app.close();
    JsonObject result = new JsonObject().put("mode", "storm").put("target", o.string("target", "vxcable"))
        .put("clients", clients).put("source_ips", sourceIps).put("resume", resume).put("subscribed", subscribed).put("ramp_s", Fanout.round(rampSeconds))
        .put("rate_per_s", rate).put("publications_accepted", accepted.size())
        .put("resubscribed", resubscribe.size()).put("all_resubscribed_s", recovered && resubscribe.size() == clients ? Fanout.round(recoverySeconds) : null)
        .put("resubscribe_s", new JsonObject().put("p50", percentile(resubscribe, 0.5)).put("p99", percentile(resubscribe, 0.99))
            .put("max", resubscribe.isEmpty() ? null : resubscribe.get(resubscribe.size() - 1)))
        .put("sessions_restored", restored)
        .put("rpc_during_storm", new JsonObject().put("connect", stormConnects).put("command", stormCommands).put("disconnect", stormDisconnects))
        .put("shed", shed).put("auth_errors", authErrors).put("subscribe_retries", subscribeRetries).put("connect_failures", connectFailures)
        .put("established_then_lost", lost)
        .put("delivery", new JsonObject().put("clients_with_everything", complete).put("missing", missing)
            .put("duplicates", duplicates).put("out_of_order", outOfOrder))
        .put("latency_ms_before", latency(steadyLatency)).put("latency_ms_storm", latency(stormLatency));
    if (before != null) {
      result.put("server_before", before.json()).put("server_storm", during.json());
    }
    return result;
  }

  private void publish(HttpClient http, URI url, String stream, long seq) {
    if (finished) {
      return;
    }
    RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath()).putHeader("Content-Type", "application/json");
    String key = o.string("broadcast-key", "");
    if (!key.isEmpty()) {
      req.putHeader("Authorization", "Bearer " + key);
    }
    http.request(req).compose(r -> r.send(Buffer.buffer(Payload.publication(stream, seq, System.nanoTime()))))
        .onSuccess(r -> {
          if (r.statusCode() < 300) {
            accepted.put(seq, seq);
          }
        });
  }

  /** A timer on a client's context. */
  void vertxTimer(io.vertx.core.Context context, long delayMs, Runnable r) {
    context.runOnContext(v -> vertx.setTimer(delayMs, id -> r.run()));
  }

  /** Records a delivery's latency, in the storm's histogram from the drop until every client is back. */
  void latency(long nanos) {
    Histogram h = dropAt > 0 && !recovered ? stormLatency : steadyLatency;
    synchronized (h) {
      h.recordValue(Math.max(0, nanos));
    }
  }

  private int countSubscribed() {
    int n = 0;
    for (StormClient c : all) {
      n += c.subscribed ? 1 : 0;
    }
    return n;
  }

  private int countResubscribed() {
    int n = 0;
    for (StormClient c : all) {
      n += c.resubscribedAt > 0 ? 1 : 0;
    }
    return n;
  }

  private static void waitFor(java.util.function.BooleanSupplier done, int seconds) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
  }

  private static Double percentile(List<Double> sorted, double p) {
    return sorted.isEmpty() ? null : Fanout.round(sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))));
  }

  private static JsonObject latency(Histogram h) {
    synchronized (h) {
      if (h.getTotalCount() == 0) {
        return new JsonObject().put("n", 0);
      }
      return new JsonObject().put("n", h.getTotalCount()).put("p50", Fanout.ms(h.getValueAtPercentile(50)))
          .put("p99", Fanout.ms(h.getValueAtPercentile(99))).put("max", Fanout.ms(h.getMaxValue()));
    }
  }
}
