package io.vxcable.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * {@code connect}: how fast N clients connect and subscribe, {@code concurrency} at a time, after
 * {@code --warmup} clients (default 1000) have connected and left (a cold JVM server is otherwise
 * measured compiling its handshake path).
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
    Protocol protocol = Protocol.of(o.string("protocol", "actioncable"));
    Clients pool = new Clients(vertx, o.string("url", "ws://127.0.0.1:8080/cable"), protocol, o.string("stream", "connect"),
        o.list("local-addresses", ""));
    int warmup = o.integer("warmup", 1000);
    if (warmup > 0) {
      Clients first = new Clients(vertx, o.string("url", "ws://127.0.0.1:8080/cable"), protocol, o.string("stream", "connect"),
          o.list("local-addresses", ""));
      first.connect(warmup, o.integer("concurrency", 50), frame -> { }).await(20, TimeUnit.MINUTES);
      first.close().await(120, TimeUnit.SECONDS);
      Thread.sleep(1000);
    }
    long t0 = System.nanoTime();
    pool.connect(clients, o.integer("concurrency", 50), frame -> { }).await(20, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - t0) / 1e9;
    int connected = clients - pool.failed.get();
    pool.close().await(120, TimeUnit.SECONDS);
    return new JsonObject().put("mode", "connect").put("target", o.string("target", "vxcable"))
        .put("protocol", protocol.name().toLowerCase()).put("warmup", warmup).put("clients", clients).put("connected", connected)
        .put("seconds", Fanout.round(seconds)).put("connects_per_s", Math.round(connected / seconds));
  }
}
