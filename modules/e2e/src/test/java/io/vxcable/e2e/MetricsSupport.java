package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** What {@link MetricsIT} drives the server with: Action Cable clients, HTTP calls and a StatsD sink. */
final class MetricsSupport {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MetricsSupport() {}

  /** GET {@code url}: the response with its body as text. */
  static HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build());
  }

  /** POSTs an anycable-go broadcast ({@code {"stream":...,"data":...}}) and expects a 2xx answer. */
  static void publish(int broadcastPort, String stream, String data) {
    String body = new JsonObject().put("stream", stream).put("data", data).encode();
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broadcastPort + "/_broadcast"))
        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.statusCode()).as("broadcast answer: %s", r.body()).isBetween(200, 299);
  }

  private static HttpResponse<String> send(HttpRequest req) {
    try {
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of an unlabelled sample in a Prometheus text exposition, or NaN. */
  static double sample(String exposition, String name) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  /** A raw Action Cable client ({@code actioncable-v1-json}) over the JDK's WebSocket, recording every text frame. */
  static final class CableClient implements AutoCloseable {

    final List<JsonObject> frames;
    private final WebSocket ws;
    private final AtomicBoolean closed;

    private CableClient(WebSocket ws, List<JsonObject> frames, AtomicBoolean closed) {
      this.ws = ws;
      this.frames = frames;
      this.closed = closed;
    }

    /** Connects to {@code ws://127.0.0.1:<port>/cable} and waits for the welcome. */
    static CableClient connect(int port) {
      List<JsonObject> frames = new CopyOnWriteArrayList<>();
      AtomicBoolean closed = new AtomicBoolean();
      StringBuilder partial = new StringBuilder();
      WebSocket.Listener listener = new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
          partial.append(data);
          if (last) {
            frames.add(new JsonObject(partial.toString()));
            partial.setLength(0);
          }
          w.request(1);
          return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
          closed.set(true);
          return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
          closed.set(true);
        }
      };
      WebSocket ws = HTTP.newWebSocketBuilder().subprotocols("actioncable-v1-json").connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/cable"), listener).orTimeout(10, TimeUnit.SECONDS).join();
      CableClient c = new CableClient(ws, frames, closed);
      Eventually.eventually(() -> assertThat(c.count("welcome")).as("welcome on port %d: %s", port, c.frames).isEqualTo(1));
      return c;
    }

    /** Sends a command ({@code subscribe} to a {@code $pubsub} stream) without waiting. */
    void sendSubscribe(String stream) {
      String identifier = new JsonObject().put("channel", "$pubsub").put("stream_name", stream).encode();
      send(new JsonObject().put("command", "subscribe").put("identifier", identifier).encode());
    }

    /** Subscribes to a {@code $pubsub} stream and waits for the confirmation. */
    void subscribe(String stream) {
      long before = count("confirm_subscription");
      sendSubscribe(stream);
      Eventually.eventually(() -> assertThat(count("confirm_subscription")).as("confirmations: %s", frames)
          .isEqualTo(before + 1));
    }

    void send(String text) {
      ws.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Frames of the given {@code type}. */
    long count(String type) {
      return frames.stream().filter(f -> type.equals(f.getString("type"))).count();
    }

    /** Broadcast messages received (frames carrying a {@code message} and no {@code type}). */
    long messages() {
      return frames.stream().filter(f -> f.getString("type") == null && f.containsKey("message")).count();
    }

    boolean isClosed() {
      return closed.get();
    }

    /** Closes the connection (a normal close, then the socket). */
    @Override
    public void close() {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).join();
      } catch (RuntimeException alreadyClosed) {
        // the socket is gone anyway
      }
      ws.abort();
    }
  }

  /** A UDP socket on a free loopback port recording every StatsD line it receives, in order. */
  static final class StatsdSink implements AutoCloseable {

    final List<String> lines = new CopyOnWriteArrayList<>();
    private final DatagramSocket socket;
    private final Thread reader;

    StatsdSink() throws SocketException {
      DatagramSocket s = null;
      for (int attempt = 0; s == null; attempt++) {
        try {
          s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()));
        } catch (SocketException taken) {
          if (attempt > 20) {
            throw taken;
          }
        }
      }
      socket = s;
      reader = new Thread(this::read, "statsd-sink");
      reader.setDaemon(true);
      reader.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void read() {
      byte[] buf = new byte[65536];
      while (!socket.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (IOException closed) {
          return;
        }
        for (String line : new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isEmpty()) {
            lines.add(line);
          }
        }
      }
    }

    /** A copy of the lines so far. */
    List<String> snapshot() {
      return new ArrayList<>(lines);
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
