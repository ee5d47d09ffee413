package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A streaming HTTP client for SSE tests: the status and headers, then the events as they arrive. */
final class SseClient implements AutoCloseable {

  /** One event: its {@code event:} name (null for data), joined {@code data:} lines, and its other fields. */
  record Event(String type, String data, String id, String retry) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String END = "\u0000end";

  final HttpResponse<Stream<String>> response;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> reader;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = CompletableFuture.runAsync(() -> {
      try (Stream<String> body = response.body()) {
        body.forEach(lines::add);
      } catch (RuntimeException closed) {
        // the stream was cut: the end marker below tells the reader
      } finally {
        lines.add(END);
      }
    });
  }

  static SseClient get(int port, String pathAndQuery, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET();
    headers.forEach(b::header);
    return new SseClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
  }

  static SseClient post(int port, String path, String body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return new SseClient(HTTP.send(r, HttpResponse.BodyHandlers.ofLines()));
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event (skipping pings unless asked for), failing after 10 s. */
  Event next() throws InterruptedException {
    while (true) {
      Event e = nextEvent();
      if (!"ping".equals(e.type())) {
        return e;
      }
    }
  }

  Event nextEvent() throws InterruptedException {
    String type = null;
    String id = null;
    String retry = null;
    List<String> data = new ArrayList<>();
    while (true) {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("an SSE line").isNotNull();
      assertThat(line).as("the stream is still open").isNotEqualTo(END);
      if (line.isEmpty()) {
        if (type == null && data.isEmpty()) {
          continue;
        }
        return new Event(type, String.join("\n", data), id, retry);
      }
      if (line.startsWith("event: ")) {
        type = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("retry: ")) {
        retry = line.substring(7);
      }
    }
  }

  /** Waits for the server to end the stream, failing after 10 s. */
  void awaitEnd() throws InterruptedException {
    while (true) {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("the end of the stream").isNotNull();
      if (line.equals(END)) {
        return;
      }
    }
  }

  @Override
  public void close() {
    reader.cancel(true);
    response.body().close();
  }
}
