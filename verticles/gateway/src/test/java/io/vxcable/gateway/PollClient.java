package io.vxcable.gateway;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A long-polling client for component tests, written against the documented protocol: POST JSON
 * Lines of commands, keep the {@code X-Anycable-Poll-ID} of the first answer, send it back on every
 * poll. Blocking calls, plus an asynchronous poll for the waiting cases.
 */
final class PollClient {

  /** One answer: status, poll ID header, the JSON lines and every header. */
  record Answer(int status, String pollId, List<String> lines, Map<String, List<String>> headers) {
    JsonObject json(int i) {
      return new JsonObject(lines.get(i));
    }

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final HttpClient http;
  private final URI uri;
  private final Map<String, String> headers = new LinkedHashMap<>();
  /** Each request on a connection of its own (spreads requests over gateway instances). */
  private final boolean freshConnections;
  String id;

  PollClient(int port, String pathAndQuery) {
    this(port, pathAndQuery, false);
  }

  PollClient(int port, String pathAndQuery, boolean freshConnections) {
    this.uri = URI.create("http://127.0.0.1:" + port + pathAndQuery);
    this.freshConnections = freshConnections;
    this.http = freshConnections ? null : client();
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  PollClient header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The first request: authenticates, keeps the poll ID of a 20x answer. */
  Answer open(String... commands) throws Exception {
    Answer a = send(false, commands).get(10, TimeUnit.SECONDS);
    if (a.status() / 100 == 2) {
      id = a.pollId();
    }
    return a;
  }

  Answer poll(String... commands) throws Exception {
    return pollAsync(commands).get(30, TimeUnit.SECONDS);
  }

  CompletableFuture<Answer> pollAsync(String... commands) {
    return send(true, commands);
  }

  /** A POST with any body and extra headers. */
  CompletableFuture<Answer> post(String body, Map<String, String> extra) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    extra.forEach(b::header);
    HttpClient c = http != null ? http : client();
    return c.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Answer(r.statusCode(),
        r.headers().firstValue("X-Anycable-Poll-ID").orElse(null),
        Arrays.stream(r.body().split("\n")).filter(l -> !l.isEmpty()).toList(), r.headers().map()));
  }

  private CompletableFuture<Answer> send(boolean withId, String... commands) {
    StringBuilder body = new StringBuilder();
    for (String c : commands) {
      body.append(c).append('\n');
    }
    return post(body.toString(), withId ? Map.of("X-Anycable-Poll-ID", id) : Map.of());
  }

  static String subscribe(String identifier) {
    return new JsonObject().put("command", "subscribe").put("identifier", identifier).encode();
  }

  boolean freshConnections() {
    return freshConnections;
  }
}
