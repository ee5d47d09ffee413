package io.vxcable.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code connect}: how fast N clients connect and subscribe, {@code concurrency} at a time, after
 * {@code --warmup} clients (default 1000) have connected and left (a cold JVM server is otherwise
 * measured compiling its handshake path). {@code --client raw} (the default, but for Socket.IO) connects with
 * {@link RawConnect}'s plain sockets on {@code --client-threads} threads (1), {@code --client vertx}
 * with Vert.x's WebSocket client, which costs the machine several times what the server spends on
 * a connection. With {@code --pid}, the result says where the machine's time went while connecting.
 */
final class Connect {

  private final Vertx vertx;
  private final Options o;

  Connect(Vertx vertx, Options o) {
    this.vertx = vertx;
    this.o = o;
  }

  JsonObject run() throws Exception {
    int clients = o.integer("clients", 2000);
    int concurrency = o.integer("concurrency", 50);
    String url = o.string("url", "ws://127.0.0.1:8080/cable");
    Protocol protocol = Protocol.of(o.string("protocol", "actioncable"));
    String stream = o.string("stream", "connect");
    List<String> sources = o.list("local-addresses", "");
    // The lean client speaks Action Cable and bare WebSocket; Socket.IO goes through Vert.x's client.
    String client = o.string("client", protocol == Protocol.SOCKETIO ? "vertx" : "raw");
    if (!client.equals("raw") && !client.equals("vertx")) {
      throw new IllegalArgumentException("unknown --client: " + client + " (raw, vertx)");
    }
    int warmup = o.integer("warmup", 1000);
    if (warmup > 0) {
      once(client, url, protocol, stream, sources, warmup, concurrency, null);
      Thread.sleep(1000);
    }
    // The measured window: from the first connection to the last one subscribed (closing is not in it).
    CpuWindow window = new CpuWindow(o.integer("pid", 0));
    JsonObject result = once(client, url, protocol, stream, sources, clients, concurrency, window);
    int connected = result.getInteger("connected");
    return new JsonObject().put("mode", "connect").put("target", o.string("target", "vxcable"))
        .put("protocol", protocol.name().toLowerCase()).put("client", client).put("warmup", warmup).put("clients", clients)
        .put("concurrency", concurrency).put("connected", connected).put("seconds", Fanout.round(window.seconds))
        .put("connects_per_s", Math.round(connected / window.seconds)).mergeIn(result).put("cpu", window.cpu);
  }

  /** One batch of connections, closed again once {@code window} (if any) has ended: counts and latencies. */
  private JsonObject once(String client, String url, Protocol protocol, String stream, List<String> sources, int n,
      int concurrency, CpuWindow window) throws Exception {
    if (client.equals("raw")) {
      RawConnect raw = new RawConnect(url, protocol, stream, sources, o.integer("timeout-ms", 30_000));
      RawConnect.Result r = raw.connect(n, concurrency, o.integer("client-threads", 1));
      if (window != null) {
        window.end();
      }
      raw.close();
      return new JsonObject().put("connected", r.connected()).put("failed", r.failed()).put("connect_ms", new JsonObject()
          .put("p50", percentile(r.micros(), 50)).put("p99", percentile(r.micros(), 99)));
    }
    Clients pool = new Clients(vertx, url, protocol, stream, sources);
    pool.connect(n, concurrency, frame -> { }).await(20, TimeUnit.MINUTES);
    if (window != null) {
      window.end();
    }
    pool.close().await(120, TimeUnit.SECONDS);
    return new JsonObject().put("connected", n - pool.failed.get()).put("failed", pool.failed.get());
  }

  private static double percentile(long[] sortedMicros, int p) {
    if (sortedMicros.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sortedMicros.length - 1, Math.ceil(p / 100.0 * sortedMicros.length) - 1);
    return Fanout.round(sortedMicros[Math.max(0, i)] / 1000.0);
  }
}
