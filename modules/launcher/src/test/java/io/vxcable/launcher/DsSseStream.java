package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Durable Streams SSE read: its response head, then its events as they come, and its end. */
final class DsSseStream implements AutoCloseable {

  /** One event: its type and its data lines joined with a line feed. */
  record Event(String type, String data) {}

  final HttpClient client;
  final HttpClientResponse response;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Promise<Void> ended = Promise.promise();
  private final StringBuilder pending = new StringBuilder();
  /** Everything received, as received. */
  final StringBuilder raw = new StringBuilder();

  private DsSseStream(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
  }

  static DsSseStream open(Vertx vertx, int port, String uri, String... headers) throws Exception {
    HttpClient client = vertx.createHttpClient();
    RequestOptions o = new RequestOptions().setHost("127.0.0.1").setPort(port).setURI(uri).setMethod(HttpMethod.GET);
    for (int i = 0; i < headers.length; i += 2) {
      o.addHeader(headers[i], headers[i + 1]);
    }
    Promise<DsSseStream> opened = Promise.promise();
    client.request(o).compose(req -> req.send()).onComplete(ar -> {
      if (ar.failed()) {
        opened.fail(ar.cause());
        return;
      }
      HttpClientResponse res = ar.result();
      DsSseStream s = new DsSseStream(client, res);
      res.handler(chunk -> s.received(chunk.toString()));
      res.endHandler(v -> s.ended.tryComplete());
      res.exceptionHandler(err -> s.ended.tryComplete());
      opened.complete(s);
    });
    return opened.future().await(10, TimeUnit.SECONDS);
  }

  private synchronized void received(String text) {
    raw.append(text);
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String type = null;
      List<String> data = new ArrayList<>();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.add(line.substring(5));
        }
      }
      events.add(new Event(type, String.join("\n", data)));
    }
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.getHeader(name);
  }

  /** The next event, within 10 s. */
  Event next() throws InterruptedException {
    Event e = events.poll(10, TimeUnit.SECONDS);
    assertThat(e).as("an SSE event").isNotNull();
    return e;
  }

  /** Waits up to {@code seconds} for the server to end the response; whether it did. */
  boolean awaitEnd(int seconds) {
    try {
      ended.future().await(seconds, TimeUnit.SECONDS);
      return true;
    } catch (Exception timedOut) {
      return false;
    }
  }

  boolean hasMoreEvents() {
    return !events.isEmpty();
  }

  @Override
  public void close() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
  }
}
