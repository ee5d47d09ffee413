package io.vxcable.session.poll;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.observability.Metrics;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.SessionOptions;
import io.vxcable.session.spi.EndpointContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A keep-alive connection taken over from Vert.x after its first poll request
 * ({@link PollConnection}), driven over a raw socket: later polls on it, pipelined requests,
 * refused requests (another path, garbage, a body too large), and the deadlines of a half-sent
 * request. The listener serves the endpoint on every path, so a 404 shows the takeover (Vert.x
 * would hand the request to the endpoint, which answers 405).
 */
class PollConnectionTest {

  private Vertx vertx;
  private HttpServer server;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void listen(String... flags) throws Exception {
    vertx = Vertx.vertx();
    Context context = vertx.getOrCreateContext();
    List<String> args = new ArrayList<>(List.of("--public", "--poll", "--poll_max_request_size=100"));
    args.addAll(List.of(flags));
    Settings settings = ConfigResolver.fromCommandLine(args, Map.of(), Path.of("/nonexistent")).settings();
    CompletableFuture<HttpServer> started = new CompletableFuture<>();
    context.runOnContext(v -> {
      SessionEngine engine = SessionEngine.create(vertx.eventBus(), SessionOptions.from(settings));
      engine.attach(vertx);
      EndpointContext ec = new EndpointContext(vertx, engine, settings, new AllowedOrigins(List.of()), Map.of());
      LongPollingEndpoint endpoint = (LongPollingEndpoint) new LongPollingProvider().endpoints(ec).get(0);
      HttpServer s = vertx.createHttpServer().requestHandler(endpoint);
      s.listen(0, "127.0.0.1").onComplete(ar -> {
        if (ar.succeeded()) {
          started.complete(s);
        } else {
          started.completeExceptionally(ar.cause());
        }
      });
    });
    server = started.get(10, TimeUnit.SECONDS);
  }

  private PollRegistry registry() {
    return PollRegistry.of(vertx, Metrics.NOOP);
  }

  // ---- a raw HTTP/1.1 client ------------------------------------------------------------------

  private record Answer(int status, Map<String, String> headers, String body) {}

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", server.actualPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static String post(String pollId, String body) {
    return "POST /lp HTTP/1.1\r\nHost: test\r\n" + (pollId == null ? "" : "X-Anycable-Poll-ID: " + pollId + "\r\n")
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    s.getOutputStream().flush();
  }

  /** Reads one answer (a head and a Content-Length body); null when the connection closed first. */
  private static Answer read(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    String head = line(in);
    if (head == null) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Answer(Integer.parseInt(head.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return out.size() == 0 ? null : out.toString(StandardCharsets.UTF_8);
      }
      if (b != '\r') {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Opens a session on {@code s}: the first request, read by Vert.x, after which the connection is taken over. */
  private static String open(Socket s) throws IOException {
    send(s, post(null, ""));
    Answer a = read(s);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).contains("\"type\":\"welcome\"");
    return a.headers().get("x-anycable-poll-id");
  }

  private static boolean closedByServer(Socket s) throws IOException {
    return s.getInputStream().read() < 0;
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void aKeptAliveConnectionCarriesPollAfterPoll() throws Exception {
    listen("--poll_interval=0");
    try (Socket s = connect()) {
      String id = open(s);
      assertThat(id).isNotEmpty();
      for (int i = 0; i < 3; i++) {
        send(s, post(id, "{\"command\":\"subscribe\",\"identifier\":\"{\\\"channel\\\":\\\"$pubsub\\\",\\\"stream_name\\\":\\\"s" + i + "\\\"}\"}\n"));
        Answer a = read(s);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers()).containsEntry("content-type", PollExchange.CONTENT_TYPE)
            .containsEntry("access-control-expose-headers", LongPollingEndpoint.POLL_ID)
            .containsEntry("access-control-allow-origin", "*");
        assertThat(a.body()).contains("confirm_subscription").contains("s" + i);
      }
      // A preflight is served too, and the connection stays open.
      send(s, "OPTIONS /lp HTTP/1.1\r\nHost: test\r\nOrigin: https://example.com\r\n\r\n");
      Answer preflight = read(s);
      assertThat(preflight.status()).isEqualTo(200);
      assertThat(preflight.headers().get("access-control-allow-headers")).contains(LongPollingEndpoint.POLL_ID);
      send(s, post(id, ""));
      assertThat(read(s).status()).isEqualTo(200);
      // An unknown ID on the taken-over connection: 401, session_expired.
      send(s, post("nope", ""));
      Answer stale = read(s);
      assertThat(stale.status()).isEqualTo(401);
      assertThat(stale.body()).contains("session_expired");
      // A new session on the same connection.
      String second = open(s);
      assertThat(second).isNotEqualTo(id);
      assertThat(registry().get(second)).isNotNull();
    }
  }

  @Test
  void aWaitingPollOnATakenOverConnectionGetsItsTimeoutAnswer() throws Exception {
    listen("--poll_interval=1");
    try (Socket s = connect()) {
      String id = open(s);
      long start = System.nanoTime();
      send(s, post(id, ""));
      Answer a = read(s);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEmpty();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(900);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    listen("--poll_interval=0");
    try (Socket s = connect()) {
      String id = open(s);
      send(s, post(id, "{\"command\":\"subscribe\",\"identifier\":\"{\\\"channel\\\":\\\"$pubsub\\\",\\\"stream_name\\\":\\\"a\\\"}\"}\n")
          + "OPTIONS /lp HTTP/1.1\r\nHost: test\r\n\r\n"
          + post(id, "{\"command\":\"subscribe\",\"identifier\":\"{\\\"channel\\\":\\\"$pubsub\\\",\\\"stream_name\\\":\\\"b\\\"}\"}\n"));
      Answer first = read(s);
      Answer second = read(s);
      Answer third = read(s);
      assertThat(first.body()).contains("stream_name\\\":\\\"a");
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).isEmpty();
      assertThat(third.body()).contains("stream_name\\\":\\\"b");
    }
  }

  @Test
  void otherPathsGarbageAndLargeBodiesAreRefusedAndClosed() throws Exception {
    listen("--poll_interval=0");
    try (Socket s = connect()) {
      open(s);
      send(s, "GET /other HTTP/1.1\r\nHost: test\r\n\r\n");
      Answer a = read(s);
      assertThat(a.status()).isEqualTo(404);
      assertThat(a.headers()).containsEntry("connection", "close");
      assertThat(closedByServer(s)).isTrue();
    }
    try (Socket s = connect()) {
      open(s);
      send(s, "GET /lp HTTP/1.1\r\nHost: test\r\n\r\n");
      Answer a = read(s);
      assertThat(a.status()).isEqualTo(405);
      assertThat(a.headers()).containsEntry("allow", "POST, OPTIONS");
      assertThat(closedByServer(s)).isTrue();
    }
    try (Socket s = connect()) {
      open(s);
      send(s, "\u0001\u0002 garbage \u0003\r\n\r\n");
      assertThat(read(s).status()).isEqualTo(400);
      assertThat(closedByServer(s)).isTrue();
    }
    try (Socket s = connect()) {
      String id = open(s);
      send(s, post(id, "x".repeat(101)));
      assertThat(read(s).status()).isEqualTo(413);
      assertThat(closedByServer(s)).isTrue();
    }
    try (Socket s = connect()) {
      String id = open(s);
      // Chunked: the size shows only while reading.
      send(s, "POST /lp HTTP/1.1\r\nHost: test\r\nX-Anycable-Poll-ID: " + id + "\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "40\r\n" + "x".repeat(64) + "\r\n" + "40\r\n" + "x".repeat(64) + "\r\n0\r\n\r\n");
      assertThat(read(s).status()).isEqualTo(413);
      assertThat(closedByServer(s)).isTrue();
    }
  }

  @Test
  void aHalfSentHeadIsClosedAfterTheIdleTimeout() throws Exception {
    listen("--poll_interval=0", "--http_idle_timeout=1");
    try (Socket s = connect()) {
      open(s);
      long start = System.nanoTime();
      send(s, "POST /lp HTTP/1.1\r\nHost: te");
      assertThat(closedByServer(s)).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(500L, 8_000L);
    }
  }

  @Test
  void aHalfSentBodyIsAnswered408AfterTheReadTimeout() throws Exception {
    listen("--poll_interval=0", "--http_read_timeout=1");
    try (Socket s = connect()) {
      String id = open(s);
      send(s, "POST /lp HTTP/1.1\r\nHost: test\r\nX-Anycable-Poll-ID: " + id + "\r\nContent-Length: 10\r\n\r\nabc");
      Answer a = read(s);
      assertThat(a.status()).isEqualTo(408);
      assertThat(closedByServer(s)).isTrue();
      // The session was not served: it expires like any session without requests.
      eventually(() -> assertThat(registry().get(id)).isNull());
    }
  }

  @Test
  void aClientLeavingAWaitingPollLetsItsSessionExpire() throws Exception {
    listen("--poll_interval=30", "--poll_keepalive_timeout=1");
    String id;
    try (Socket s = connect()) {
      id = open(s);
      send(s, post(id, ""));
      eventually(() -> assertThat(registry().get(id)).isNotNull());
    }
    // Closed while waiting 30 s: the keepalive (1 s) starts and ends the session.
    eventually(() -> assertThat(registry().get(id)).isNull());
    assertThat(registry().size()).isZero();
  }
}
