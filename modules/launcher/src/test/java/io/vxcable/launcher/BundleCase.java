package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** The one-process bundle on a free port, extended-protocol clients and publications to "room". */
abstract class BundleCase {

  static final String ROOM = new JsonObject().put("channel", "$pubsub").put("stream_name", "room").encode();
  final Vertx vertx = Vertx.vertx();
  final int port = FreePorts.next();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** An extended-protocol client; frames queue up as JSON. */
  final class Client implements AutoCloseable {
    /**
     * Held for the connection's life: Vert.x closes a WebSocketClient nobody references when the
     * garbage collector finds it (CleanableWebSocketClient), cutting a handshake in progress.
     */
    final WebSocketClient client = vertx.createWebSocketClient();
    final WebSocket ws;
    final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

    Client(String query) throws Exception {
      // The handler is set on the event loop as the connection completes, before any frame is read.
      ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/cable" + query).setSubProtocols(List.of("actioncable-v1-ext-json")))
          .onSuccess(w -> w.textMessageHandler(t -> frames.add(new JsonObject(t))))
          .await(10, TimeUnit.SECONDS);
    }

    JsonObject next(String type) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        JsonObject f = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(f).as("a %s frame", type).isNotNull();
        if (type.equals(f.getString("type", "message")) && !"ping".equals(f.getString("type"))) {
          return f;
        }
      }
    }

    void send(JsonObject command) {
      ws.writeTextMessage(command.encode());
    }

    @Override
    public void close() throws Exception {
      ws.close().await(10, TimeUnit.SECONDS);
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  void publish(String data) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/_broadcast"))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("stream", "room").put("data", data).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(201);
  }
}
