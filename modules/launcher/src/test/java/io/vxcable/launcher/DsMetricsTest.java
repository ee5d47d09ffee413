package io.vxcable.launcher;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.observability.MicrometerMetrics;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * anycable-go's Durable Streams metrics: GET reads ({@code ds_requests_total}, HEAD not counted),
 * long polls that waited and those waiting now, SSE reads and those open now.
 */
class DsMetricsTest extends DsCase {

  @Test
  void readsPollsAndStreamsAreCounted() throws Exception {
    MicrometerMetrics m = start("--public");
    publish("room", "1");
    assertThat(get("/ds/room").statusCode()).isEqualTo(200);
    assertThat(head("/ds/room").statusCode()).isEqualTo(200);
    assertThat(get("/ds/room?offset=-1&live=long-poll").statusCode()).as("a backlog: no wait").isEqualTo(200);
    assertThat(get("/ds/room?offset=x").statusCode()).as("not counted").isEqualTo(400);
    assertThat(m.value("ds_requests_total")).isEqualTo(2);
    assertThat(m.value("ds_poll_requests_total")).isZero();

    CompletableFuture<HttpResponse<String>> poll = getAsync("/ds/room?offset=now&live=long-poll");
    eventually(() -> assertThat(m.value("ds_poll_clients_num")).isEqualTo(1));
    assertThat(m.value("ds_poll_requests_total")).isEqualTo(1);
    try (DsSseStream s = DsSseStream.open(vertx, port, "/ds/room?offset=now&live=sse")) {
      assertThat(s.next().type()).isEqualTo("control");
      assertThat(m.value("ds_sse_requests_total")).isEqualTo(1);
      assertThat(m.value("ds_sse_clients_num")).isEqualTo(1);
      publish("room", "2");
      assertThat(poll.get(10, TimeUnit.SECONDS).body()).isEqualTo("[2]");
      assertThat(s.next().data()).isEqualTo("[2]");
      eventually(() -> assertThat(m.value("ds_poll_clients_num")).isZero());
      assertThat(m.value("ds_requests_total")).isEqualTo(4);
    }
    eventually(() -> assertThat(m.value("ds_sse_clients_num")).isZero());
    eventually(() -> {
      m.refresh();
      assertThat(m.value("clients_num")).isZero();
    });
  }
}
