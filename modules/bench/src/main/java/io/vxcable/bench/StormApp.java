package io.vxcable.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application of {@code storm}, over AnyCable's HTTP RPC ({@code --rpc_host=http://127.0.0.1:<port>/_anycable}):
 * every Connect succeeds after {@code latencyMs} (an application's own work), identified by the
 * session id; {@code StormChannel} streams from one stream. It counts every call, so the benchmark
 * can tell what a storm costs the application.
 */
final class StormApp {

  static final String CHANNEL = "{\"channel\":\"StormChannel\"}";

  final AtomicLong connects = new AtomicLong();
  final AtomicLong commands = new AtomicLong();
  final AtomicLong disconnects = new AtomicLong();
  private final Vertx vertx;
  private final String stream;
  private final long latencyMs;
  private HttpServer server;

  StormApp(Vertx vertx, String stream, long latencyMs) {
    this.vertx = vertx;
    this.stream = stream;
    this.latencyMs = latencyMs;
  }

  Future<HttpServer> listen(int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, "127.0.0.1");
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    String sid = req.getHeader("x-anycable-meta-sid");
    req.body().onSuccess(body -> {
      String path = req.path();
      if (path.endsWith("/connect")) {
        connects.incrementAndGet();
        JsonObject welcome = new JsonObject().put("type", "welcome").put("sid", sid == null ? "" : sid);
        JsonObject r = new JsonObject().put("status", 1).put("identifiers", new JsonObject().put("uid", sid).encode())
            .put("transmissions", new JsonArray().add(welcome.encode()));
        later(() -> reply(req, r));
      } else if (path.endsWith("/command")) {
        commands.incrementAndGet();
        JsonObject cmd = body.toJsonObject();
        JsonObject r = new JsonObject().put("status", 1);
        if ("subscribe".equals(cmd.getString("command"))) {
          String confirm = new JsonObject().put("identifier", cmd.getString("identifier")).put("type", "confirm_subscription").encode();
          r.put("streams", new JsonArray().add(stream)).put("transmissions", new JsonArray().add(confirm));
        }
        reply(req, r);
      } else if (path.endsWith("/disconnect")) {
        disconnects.incrementAndGet();
        reply(req, new JsonObject().put("status", 1));
      } else {
        req.response().setStatusCode(404).end();
      }
    });
  }

  private void later(Runnable r) {
    if (latencyMs <= 0) {
      r.run();
    } else {
      vertx.setTimer(latencyMs, id -> r.run());
    }
  }

  private static void reply(HttpServerRequest req, JsonObject body) {
    req.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
