package io.vxcable.examples.chat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.DisconnectResponse;
import io.vxcable.contracts.rpc.Status;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A chat application behind vxcable: answers AnyCable RPC over gRPC on {@code RPC_PORT} (50051) and
 * serves the browser page on {@code WEB_PORT} (3000). Users are identified by {@code ?user=} on the
 * WebSocket URL (a real application would read its session cookie, which the server forwards).
 * Messages are published through the server's HTTP broadcast endpoint ({@code BROADCAST_URL}).
 */
public final class ChatApp {

  private static final ServiceName RPC = ServiceName.create("anycable.RPC");

  private ChatApp() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    int rpcPort = Integer.parseInt(env("RPC_PORT", "50051"));
    int webPort = Integer.parseInt(env("WEB_PORT", "3000"));
    String broadcastUrl = env("BROADCAST_URL", "http://localhost:8090/_broadcast");
    Path publicDir = Path.of(env("PUBLIC_DIR", "examples/rpc-chat/public"));
    start(vertx, rpcPort, broadcastUrl)
        .compose(v -> web(vertx, webPort, publicDir))
        .onSuccess(v -> System.out.println("chat app: RPC on :" + rpcPort + ", page on http://localhost:" + webPort))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }

  /** Starts the gRPC side; the future completes when it listens. */
  public static Future<HttpServer> start(Vertx vertx, int port, String broadcastUrl) {
    HttpClient http = vertx.createHttpClient();
    ChatChannel chat = new ChatChannel((stream, data) -> http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(broadcastUrl))
        .compose(req -> req.send(Buffer.buffer(new JsonObject().put("stream", stream).put("data", data.encode()).encode())))
        .onFailure(err -> System.err.println("broadcast failed: " + err.getMessage())));
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(ServiceMethod.server(RPC, "Connect", GrpcMessageEncoder.<ConnectionResponse>encoder(),
        GrpcMessageDecoder.<ConnectionRequest>decoder(ConnectionRequest.getDefaultInstance())), req -> req.handler(msg ->
            req.response().end(connect(msg, req.headers().get("sid")))));
    grpc.callHandler(ServiceMethod.server(RPC, "Command", GrpcMessageEncoder.<CommandResponse>encoder(),
        GrpcMessageDecoder.<CommandMessage>decoder(CommandMessage.getDefaultInstance())), req -> req.handler(msg ->
            req.response().end(chat.handle(msg))));
    grpc.callHandler(ServiceMethod.server(RPC, "Disconnect", GrpcMessageEncoder.<DisconnectResponse>encoder(),
        GrpcMessageDecoder.<DisconnectRequest>decoder(DisconnectRequest.getDefaultInstance())), req -> req.handler(msg -> {
          for (String identifier : msg.getSubscriptionsList()) {
            chat.handle(CommandMessage.newBuilder().setCommand("unsubscribe").setIdentifier(identifier)
                .setConnectionIdentifiers(msg.getIdentifiers()).build());
          }
          req.response().end(DisconnectResponse.newBuilder().setStatus(Status.SUCCESS).build());
        }));
    return vertx.createHttpServer().requestHandler(grpc).listen(port, "0.0.0.0");
  }

  static ConnectionResponse connect(ConnectionRequest req, String sid) {
    String user = query(req.getEnv().getUrl(), "user");
    if (user == null || user.isBlank()) {
      return ConnectionResponse.newBuilder().setStatus(Status.FAILURE)
          .addTransmissions("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}").build();
    }
    return ConnectionResponse.newBuilder().setStatus(Status.SUCCESS)
        .setIdentifiers(new JsonObject().put("user", user).encode())
        .addTransmissions(new JsonObject().put("type", "welcome").put("sid", sid).encode())
        .build();
  }

  private static String query(String url, String name) {
    String q = URI.create(url).getRawQuery();
    if (q == null) {
      return null;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** The page, and the npm client files it imports (installed by run.sh). */
  private static Future<Void> web(Vertx vertx, int port, Path publicDir) {
    return vertx.createHttpServer().requestHandler(req -> {
      String p = req.path().equals("/") ? "/index.html" : req.path();
      Path file = p.startsWith("/vendor/")
          ? publicDir.resolveSibling("node_modules").resolve(p.substring("/vendor/".length())).normalize()
          : publicDir.resolve(p.substring(1)).normalize();
      if (p.contains("..") || !Files.isRegularFile(file)) {
        req.response().setStatusCode(404).end();
        return;
      }
      String type = p.endsWith(".js") ? "text/javascript" : p.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream";
      req.response().putHeader("Content-Type", type).sendFile(file.toString());
    }).listen(port, "0.0.0.0").mapEmpty();
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }
}
