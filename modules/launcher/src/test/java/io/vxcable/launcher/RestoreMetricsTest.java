package io.vxcable.launcher;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.MicrometerMetrics;
import io.vxcable.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one-process bundle with a broker: a session restored by its sid and its history replayed
 * show up in the restore metrics, publications in the intake and store metrics.
 */
class RestoreMetricsTest {

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

  @Test
  void restoresReplaysAndStoresAreCounted() throws Exception {
    Settings s = ConfigResolver.fromCommandLine(List.of("--port=" + port, "--public", "--broker=memory",
        "--http_broadcast_port=" + port, "--metrics_log", "--norpc"), Map.of(), Path.of("/nonexistent")).settings();
    vertx.deployVerticle(new BundleVerticle(), new DeploymentOptions().setConfig(s.toJson())).await(20, TimeUnit.SECONDS);
    MicrometerMetrics m = (MicrometerMetrics) Metrics.of(vertx);
    String sid;
    JsonObject last;
    try (Client c = new Client("")) {
      sid = c.next("welcome").getString("sid");
      c.send(new JsonObject().put("command", "subscribe").put("identifier", ROOM));
      c.next("confirm_subscription");
      publish("one");
      last = c.next("message");
    }
    publish("two");
    publish("three");
    try (Client c = new Client("?sid=" + sid)) {
      assertThat(c.next("welcome").getBoolean("restored")).isTrue();
      c.send(new JsonObject().put("command", "history").put("identifier", ROOM).put("history", new JsonObject()
          .put("streams", new JsonObject().put("room", new JsonObject().put("epoch", last.getString("epoch"))
              .put("offset", last.getLong("offset"))))));
      assertThat(c.next("message").getString("message")).isEqualTo("two");
      assertThat(c.next("message").getString("message")).isEqualTo("three");
      c.next("confirm_history");
    }
    try (Client c = new Client("?sid=unknown")) {
      assertThat(c.next("welcome").getBoolean("restored", false)).isFalse();
    }
    eventually(() -> {
      assertThat(m.value("sessions_restored_total")).isEqualTo(1);
      assertThat(m.value("sessions_restore_missed_total")).isEqualTo(1);
      assertThat(m.value("history_replayed_total")).isEqualTo(1);
      assertThat(m.value("history_rejected_total")).isZero();
      assertThat(m.value("publications_total")).isEqualTo(3);
    });
    assertThat(m.registry().get("anycable_go_history_replay_messages").summary().totalAmount()).isEqualTo(2);
    assertThat(m.registry().get("anycable_go_broadcast_store_seconds").timer().count()).isEqualTo(3);
    assertThat(m.registry().get("anycable_go_broadcast_delivery_seconds").timer().count()).isEqualTo(1);
  }
}
