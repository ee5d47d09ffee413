package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.protocol.Hmac;
import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.JsonFuzz;
import io.vxcable.testkit.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the HTTP intakes of the whole server, as resolved from anycable-go flags: broadcasts and
 * REST API calls forwarded from the main port, and on their own listeners. Whatever method, path,
 * key, framing and body a client sends, the answer is one of the statuses the endpoints document
 * (or the connection is closed on a request that never ends), never a server error, and the
 * server goes on publishing.
 */
class HttpIntakeFuzzTest {

  static final String SECRET = "s";
  static final String BROADCAST_KEY = Hmac.hexSha256(SECRET, "broadcast-cable");
  static final String API_KEY = Hmac.hexSha256(SECRET, "api-cable");
  static final Set<Integer> DOCUMENTED = Set.of(200, 201, 400, 401, 404, 405, 413, 414, 422, 431, 501);
  static final List<String> PATHS = List.of("/_broadcast", "/api/publish", "/api/presence/room/users", "/api",
      "/api/", "/health", "/nowhere", "/_broadcast/x", "/api/presence//users", "/%2e%2e/_broadcast");
  static final List<String> METHODS = List.of("POST", "POST", "POST", "GET", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD", "BREW");
  static final List<String> KEYS = List.of("stream", "data", "meta", "command", "payload", "identifier", "reconnect",
      "exclude_socket", "transient");

  static Vertx vertx;
  /** The main port with forwarding (port 0), and the own broadcast (1) and API (2) listeners of another node. */
  static final int[] PORTS = new int[3];

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    for (int i = 0; i < PORTS.length; i++) {
      PORTS[i] = FreePorts.next();
    }
    deploy("--port=" + PORTS[0]);
    deploy("--port=" + FreePorts.next(), "--http_broadcast_port=" + PORTS[1], "--api_port=" + PORTS[2]);
  }

  static void deploy(String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("--host=127.0.0.1", "--secret=" + SECRET, "--norpc",
        "--broker=memory", "--http_max_body_size=4096"));
    args.addAll(List.of(flags));
    Settings settings = ConfigResolver.fromCommandLine(args, Map.of(), Path.of("/nonexistent")).settings();
    vertx.deployVerticle(new BundleVerticle(), new DeploymentOptions().setConfig(settings.toJson()))
        .await(30, TimeUnit.SECONDS);
  }

  @AfterContainer
  static void stop() throws Exception {
    // After everything the fuzzer sent, every intake still publishes.
    String body = "{\"stream\":\"after\",\"data\":\"1\"}";
    assertThat(RawHttp.exchange(PORTS[0], post("/_broadcast", BROADCAST_KEY, body))).startsWith("HTTP/1.1 201");
    assertThat(RawHttp.exchange(PORTS[1], post("/_broadcast", BROADCAST_KEY, body))).startsWith("HTTP/1.1 201");
    assertThat(RawHttp.exchange(PORTS[2], post("/api/publish", API_KEY, body))).startsWith("HTTP/1.1 201");
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  static String post(String path, String key, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  /** One request as it goes on the wire, and whether it ends (a truncated one is half-closed). */
  record Request(int port, byte[] bytes, boolean complete, String summary) {
    @Override
    public String toString() {
      return summary;
    }
  }

  @Provide
  Arbitrary<Request> requests() {
    return Arbitraries.randomValue(this::request);
  }

  Request request(Random r) {
    String method = r.nextBoolean() ? "POST" : METHODS.get(r.nextInt(METHODS.size()));
    String path = switch (r.nextInt(10)) {
      case 0 -> "/" + ascii(r, 20);
      case 1, 2, 3 -> "/_broadcast";
      case 4, 5 -> "/api/publish";
      default -> PATHS.get(r.nextInt(PATHS.size()));
    };
    boolean api = path.startsWith("/api");
    // Mostly the listener and the key that serve the path, so most requests get past the checks.
    int port = r.nextInt(4) == 0 ? PORTS[r.nextInt(PORTS.length)] : api ? PORTS[r.nextBoolean() ? 0 : 2] : PORTS[r.nextInt(2)];
    String auth = switch (r.nextInt(8)) {
      case 0 -> null;
      case 1 -> "Bearer wrong";
      case 2 -> ascii(r, 40);
      case 3 -> "Bearer " + (api ? BROADCAST_KEY : API_KEY);
      default -> "Bearer " + (api ? API_KEY : BROADCAST_KEY);
    };
    byte[] body = body(r);
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: x\r\n");
    if (auth != null) {
      head.append("Authorization: ").append(auth).append("\r\n");
    }
    int framing = r.nextInt(5);
    byte[] payload;
    boolean complete = true;
    switch (framing) {
      case 0 -> {
        head.append("Transfer-Encoding: chunked\r\n");
        payload = chunked(r, body);
      }
      case 1 -> {
        // Announces more than it sends, then stops: a request that never ends.
        head.append("Content-Length: ").append(body.length + 1 + r.nextInt(1_000_000)).append("\r\n");
        payload = body;
        complete = false;
      }
      case 2 -> {
        // Not HTTP at all.
        head.setLength(0);
        payload = body;
        complete = false;
      }
      default -> {
        head.append("Content-Length: ").append(body.length).append("\r\n");
        payload = body;
      }
    }
    if (framing != 2) {
      head.append("\r\n");
    }
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + payload.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(payload, 0, all, h.length, payload.length);
    String summary = port + " " + (framing == 2 ? "(not HTTP)" : method + " " + path) + " framing " + framing + ", "
        + body.length + " body bytes";
    return new Request(port, all, complete, summary);
  }

  /** Printable ASCII without spaces: a token that fits in a request line or a header. */
  static String ascii(Random r, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = r.nextInt(max + 1); i > 0; i--) {
      sb.append((char) ('!' + r.nextInt('~' - '!' + 1)));
    }
    return sb.toString();
  }

  static byte[] body(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> new byte[0];
      case 1 -> {
        byte[] b = new byte[r.nextInt(8000)];
        r.nextBytes(b);
        yield b;
      }
      case 2 -> ("[" + new JsonFuzz(r, KEYS).object(4) + "]").getBytes(StandardCharsets.UTF_8);
      case 3 -> "{\"stream\":\"s\",\"data\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      default -> new JsonFuzz(r, KEYS).object(6).getBytes(StandardCharsets.UTF_8);
    };
  }

  static byte[] chunked(Random r, byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, 1 + r.nextInt(2000));
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      at += n;
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  @Property(tries = 300)
  void everyRequestGetsADocumentedAnswerOrIsClosed(@ForAll("requests") Request request) throws Exception {
    try (RawHttp http = RawHttp.connect(request.port())) {
      http.send(request.bytes());
      if (!request.complete()) {
        http.finishSending();
      }
      String answer = http.response();
      if (answer.isEmpty()) {
        assertThat(request.complete()).as("only a request that never ends may go unanswered").isFalse();
        Statistics.label("status").collect("closed");
      } else {
        assertThat(answer).startsWith("HTTP/1.");
        int status = Integer.parseInt(answer.substring(9, 12));
        assertThat(DOCUMENTED).as("status of %s", request).contains(status);
        Statistics.label("status").collect(String.valueOf(status));
      }
      // The generator must keep reaching past the checks, not only bounce off them.
      Statistics.label("status").coverage(c -> {
        c.check("201").count(n -> n > 0);
        c.check("401").count(n -> n > 0);
        c.check("413").count(n -> n > 0);
        c.check("422").count(n -> n > 0);
      });
    }
  }
}
