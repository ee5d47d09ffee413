package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A blocking-style WebSocket client for component tests: collects frames, awaits them by predicate. */
final class TestClient implements AutoCloseable {

  final WebSocket ws;
  private final WebSocketClient client;
  private final LinkedBlockingQueue<String> frames;
  final Promise<Short> closed;

  private TestClient(WebSocketClient client, WebSocket ws, LinkedBlockingQueue<String> frames, Promise<Short> closed) {
    this.client = client;
    this.ws = ws;
    this.frames = frames;
    this.closed = closed;
  }

  static TestClient connect(Vertx vertx, int port, String uri, List<String> protocols, Map<String, String> headers) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)
        .setSubProtocols(protocols);
    headers.forEach(o::addHeader);
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    Promise<Short> closed = Promise.promise();
    // Handlers are in place before connecting: a frame or a close right after the handshake is kept.
    io.vertx.core.http.ClientWebSocket socket = client.webSocket();
    socket.textMessageHandler(frames::add);
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
    WebSocket ws = await(socket.connect(o));
    return new TestClient(client, ws, frames, closed);
  }

  static TestClient connect(Vertx vertx, int port) {
    return connect(vertx, port, "/cable", List.of("actioncable-v1-json"), Map.of());
  }

  void send(String frame) {
    await(ws.writeTextMessage(frame));
  }

  void send(JsonObject frame) {
    send(frame.encode());
  }

  /** The next frame that is not a ping. */
  String next() {
    return next(f -> !f.startsWith("{\"type\":\"ping\""));
  }

  String next(Predicate<String> accept) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
        if (f == null) {
          throw new AssertionError("no matching frame within 10 s");
        }
        if (accept.test(f)) {
          return f;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  JsonObject nextJson() {
    return new JsonObject(next());
  }

  /** Asserts that no non-ping frame arrives within {@code ms}. */
  void expectSilence(long ms) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        String f = frames.poll(left, TimeUnit.NANOSECONDS);
        if (f != null) {
          assertThat(f).as("unexpected frame").startsWith("{\"type\":\"ping\"");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  short awaitClose() {
    return await(closed.future());
  }

  String subscribe(String identifier) {
    send(new JsonObject().put("command", "subscribe").put("identifier", identifier));
    return next();
  }

  /** Waits up to 20 s for a future, turning a timeout into a test failure. */
  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      ws.close();
    }
    client.close();
  }
}
