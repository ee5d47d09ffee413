package io.vxcable.launcher;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.observability.MicrometerMetrics;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Long polls and SSE reads against the bundle with a memory broker. */
class DsLiveTest extends DsCase {

  /** Waits until {@code n} long polls wait (a message published from now on answers them live). */
  static void pollsWaiting(MicrometerMetrics m, long n) {
    eventually(() -> assertThat(m.value("ds_poll_clients_num")).isEqualTo(n));
  }

  @Test
  void aLongPollWithABacklogAnswersAtOnce() throws Exception {
    start("--public");
    publish("room", "1");
    publish("room", "2");
    HttpResponse<String> r = get("/ds/room?offset=-1&live=long-poll");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[1,2]");
    assertThat(header(r, "Stream-Next-Offset")).isEqualTo(tail("room"));
    assertThat(header(r, "Stream-Up-To-Date")).isEqualTo("true");
  }

  @Test
  void aWaitingLongPollIsAnsweredByTheNextBroadcast() throws Exception {
    MicrometerMetrics m = start("--public");
    publish("room", "1");
    String tail = tail("room");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/ds/room?offset=" + tail + "&live=long-poll&cursor=5");
    pollsWaiting(m, 1);
    publish("room", "{\"n\":2}");
    publish("room", "{\"n\":3}");
    HttpResponse<String> r = poll.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[{\"n\":2}]");
    assertThat(header(r, "Stream-Next-Offset")).isEqualTo("2::" + tail.substring(3));
    assertThat(header(r, "Stream-Up-To-Date")).isEqualTo("true");
    assertThat(Long.parseLong(header(r, "Stream-Cursor"))).isGreaterThan(5);
    assertThat(header(r, "Content-Type")).isEqualTo("application/json");
    pollsWaiting(m, 0);
    // The next poll from there gets what came meanwhile at once.
    assertThat(get("/ds/room?offset=" + header(r, "Stream-Next-Offset") + "&live=long-poll").body())
        .isEqualTo("[{\"n\":3}]");
  }

  @Test
  void aLongPollFromNowWaitsForANewMessageOnly() throws Exception {
    MicrometerMetrics m = start("--public");
    publish("room", "\"old\"");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/ds/room?offset=now&live=long-poll");
    pollsWaiting(m, 1);
    publish("room", "\"new\"");
    HttpResponse<String> r = poll.get(10, TimeUnit.SECONDS);
    assertThat(r.body()).isEqualTo("[\"new\"]");
    assertThat(header(r, "Stream-Next-Offset")).startsWith("2::");
  }

  @Test
  void aLongPollWithNothingNewEndsEmptyAfterThePollInterval() throws Exception {
    start("--public", "--ds_poll_interval=1");
    publish("room", "1");
    String tail = tail("room");
    long started = System.nanoTime();
    HttpResponse<String> r = get("/ds/room?offset=" + tail + "&live=long-poll");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(tookMs).isBetween(900L, 5_000L);
    assertThat(header(r, "Stream-Next-Offset")).isEqualTo(tail);
    assertThat(header(r, "Stream-Up-To-Date")).isEqualTo("true");
    HttpResponse<String> fromNow = get("/ds/empty?offset=now&live=long-poll");
    assertThat(fromNow.statusCode()).isEqualTo(204);
    assertThat(header(fromNow, "Stream-Next-Offset")).isEqualTo("0");
  }

  @Test
  void aLongPollGetsGoneWhenTheServerShutsDown() throws Exception {
    MicrometerMetrics m = start("--public");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/ds/room?offset=now&live=long-poll");
    pollsWaiting(m, 1);
    vertx.undeploy(deployment);
    assertThat(poll.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(410);
  }

  @Test
  void aLongPollFromAGoneOffsetIsGone() throws Exception {
    start("--public");
    publish("room", "1");
    assertThat(get("/ds/room?offset=1::nope&live=long-poll").statusCode()).isEqualTo(410);
  }

  @Test
  void anSseReadSendsTheBacklogThenLiveMessagesWithControlEvents() throws Exception {
    start("--public");
    publish("room", "{\"n\":1}");
    publish("room", "{\n  \"n\": 2\n}");
    String tail = tail("room");
    String epoch = tail.substring(3);
    try (DsSseStream s = DsSseStream.open(vertx, port, "/ds/room?offset=-1&live=sse&cursor=7")) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("Content-Type")).isEqualTo("text/event-stream");
      assertThat(s.header("Cache-Control")).isEqualTo("private, no-cache, no-store, must-revalidate, max-age=0");
      assertThat(s.header("X-Accel-Buffering")).isEqualTo("no");
      assertThat(s.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(s.header("Connection")).isEqualTo("keep-alive");
      DsSseStream.Event backlog = s.next();
      assertThat(backlog.type()).isEqualTo("data");
      assertThat(backlog.data()).isEqualTo("[{\"n\":1},{\n  \"n\": 2\n}]");
      assertThat(s.raw.toString()).startsWith("event: data\ndata:[{\"n\":1},{\ndata:  \"n\": 2\ndata:}]\n\n");
      DsSseStream.Event control = s.next();
      assertThat(control.type()).isEqualTo("control");
      JsonObject c = new JsonObject(control.data());
      assertThat(c.getString("streamNextOffset")).isEqualTo(tail);
      assertThat(c.getBoolean("upToDate")).isTrue();
      String cursor = c.getString("streamCursor");
      assertThat(Long.parseLong(cursor)).isGreaterThan(7);
      publish("room", "\"three\"");
      DsSseStream.Event live = s.next();
      assertThat(live.type()).isEqualTo("data");
      assertThat(live.data()).isEqualTo("[\"three\"]");
      JsonObject liveControl = new JsonObject(s.next().data());
      assertThat(liveControl.getString("streamNextOffset")).isEqualTo("3::" + epoch);
      assertThat(liveControl.getString("streamCursor")).isEqualTo(cursor);
      assertThat(liveControl.containsKey("upToDate")).isFalse();
    }
  }

  @Test
  void anSseReadFromTheTailStartsWithAControlEventOnly() throws Exception {
    start("--public");
    try (DsSseStream s = DsSseStream.open(vertx, port, "/ds/room?offset=now&live=sse")) {
      DsSseStream.Event first = s.next();
      assertThat(first.type()).isEqualTo("control");
      assertThat(new JsonObject(first.data()).getString("streamNextOffset")).isEqualTo("0");
      assertThat(new JsonObject(first.data()).getBoolean("upToDate")).isTrue();
      publish("room", "1");
      assertThat(s.next().data()).isEqualTo("[1]");
      assertThat(new JsonObject(s.next().data()).getString("streamNextOffset")).startsWith("1::");
    }
  }

  @Test
  void anSseReadEndsAfterItsTtl() throws Exception {
    MicrometerMetrics m = start("--public", "--ds_sse_ttl=1");
    try (DsSseStream s = DsSseStream.open(vertx, port, "/ds/room?offset=-1&live=sse")) {
      assertThat(s.next().type()).isEqualTo("control");
      eventually(() -> assertThat(m.value("ds_sse_clients_num")).isEqualTo(1));
      long started = System.nanoTime();
      assertThat(s.awaitEnd(10)).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
      eventually(() -> assertThat(m.value("ds_sse_clients_num")).isZero());
    }
  }

  @Test
  void anSseReadFromAGoneOffsetIsGone() throws Exception {
    start("--public");
    publish("room", "1");
    assertThat(get("/ds/room?offset=5::" + tail("room").substring(3) + "&live=sse").statusCode()).isEqualTo(410);
  }
}
