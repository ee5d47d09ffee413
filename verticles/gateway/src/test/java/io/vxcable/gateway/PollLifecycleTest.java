package io.vxcable.gateway;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vxcable.gateway.PollClient.Answer;
import io.vxcable.observability.MicrometerMetrics;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How long a long-poll session lives: keepalive, pauses, pings, slow clients, shutdown. */
class PollLifecycleTest extends PollCase {

  static final String EXPIRED = "{\"type\":\"disconnect\",\"reason\":\"session_expired\",\"reconnect\":true}";

  @Test
  void aSessionWithoutRequestsForTheKeepaliveTimeoutIsClosedAndItsIdAnswered401() throws Exception {
    MicrometerMetrics m = deploy(new JsonObject().put("poll_keepalive_timeout", 1));
    PollClient c = new PollClient(port, "/lp");
    assertThat(c.open(PollClient.subscribe(ROOM)).status()).isEqualTo(200);
    m.refresh();
    assertThat(m.value("long_poll_clients_num")).isEqualTo(1);
    assertThat(engineSessions()).isEqualTo(1);
    eventually(() -> assertThat(engineSessions()).as("closed in the engine").isZero());
    eventually(() -> {
      m.refresh();
      assertThat(m.value("long_poll_clients_num")).isZero();
      assertThat(m.value("clients_num")).isZero();
      assertThat(m.value("broadcast_streams_num")).as("its subscription is gone").isZero();
    });
    Answer stale = c.poll();
    assertThat(stale.status()).isEqualTo(401);
    assertThat(stale.lines()).containsExactly(EXPIRED);
    assertThat(m.value("long_poll_stale_requests_total")).isEqualTo(1);
  }

  @Test
  void aWaitingPollKeepsItsSessionAliveLongerThanTheKeepalive() throws Exception {
    deploy(new JsonObject().put("poll_keepalive_timeout", 1).put("poll_interval", 2));
    PollClient c = new PollClient(port, "/lp");
    c.open();
    for (int i = 0; i < 2; i++) {
      Answer a = c.poll();
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.lines()).isEmpty();
    }
    assertThat(engineSessions()).isEqualTo(1);
  }

  @Test
  void aClientThatPausesLongerThanTheWriteTimeoutLosesNothing() throws Exception {
    deploy(new JsonObject().put("ws_write_timeout", 1).put("poll_keepalive_timeout", 5).put("poll_interval", 1));
    PollClient c = new PollClient(port, "/lp");
    c.open(PollClient.subscribe(ROOM));
    for (int i = 0; i < 5; i++) {
      broadcast("room", "{\"n\":" + i + "}");
    }
    stayAway(Duration.ofMillis(2_500));
    List<Integer> got = new ArrayList<>();
    eventually(() -> {
      try {
        Answer a = c.poll();
        assertThat(a.status()).isEqualTo(200);
        for (int i = 0; i < a.lines().size(); i++) {
          got.add(a.json(i).getJsonObject("message").getInteger("n"));
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(got).hasSize(5);
    });
    assertThat(got).containsExactly(0, 1, 2, 3, 4);
    assertThat(engineSessions()).isEqualTo(1);
  }

  @Test
  void aPollSessionIsNeverPingedNorDroppedForMissingPongs() throws Exception {
    deploy(new JsonObject().put("ping_interval", 1).put("pong_timeout", 1).put("enable_native_pings", true)
        .put("poll_interval", 1).put("poll_keepalive_timeout", 5));
    PollClient c = new PollClient(port, "/lp");
    c.open(PollClient.subscribe(ROOM));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Answer a = c.poll();
      assertThat(a.status()).isEqualTo(200);
      lines.addAll(a.lines());
      stayAway(Duration.ofMillis(1_500));
    }
    assertThat(lines).noneMatch(l -> l.contains("\"ping\"") || l.contains("no_pong"));
    assertThat(engineSessions()).isEqualTo(1);
    broadcast("room", "\"still here\"");
    assertThat(c.poll().lines()).hasSize(1);
  }

  @Test
  void aClientLettingMessagesPileUpIsDisconnectedAsTooSlow() throws Exception {
    MicrometerMetrics m = deploy(new JsonObject().put("ws_max_pending_size", 4096).put("poll_keepalive_timeout", 10));
    PollClient c = new PollClient(port, "/lp");
    c.open(PollClient.subscribe(ROOM));
    String chunk = "x".repeat(500);
    for (int i = 0; i < 20; i++) {
      broadcast("room", "{\"n\":" + i + ",\"chunk\":\"" + chunk + "\"}");
    }
    eventually(() -> assertThat(m.value("disconnected_slow_clients_total")).isEqualTo(1));
    Answer last = c.poll();
    assertThat(last.status()).as("what was buffered, then the goodbye").isEqualTo(200);
    assertThat(last.lines().size()).isBetween(2, 20);
    assertThat(last.lines().get(last.lines().size() - 1))
        .isEqualTo("{\"type\":\"disconnect\",\"reason\":\"too_slow\",\"reconnect\":true}");
    eventually(() -> assertThat(engineSessions()).isZero());
    assertThat(c.poll().status()).isEqualTo(401);
  }

  @Test
  void aShutdownAnswersTheWaitingPollWithServerRestart() throws Exception {
    deploy(new JsonObject().put("poll_interval", 10));
    PollClient c = new PollClient(port, "/lp");
    c.open(PollClient.subscribe(ROOM));
    CompletableFuture<Answer> waiting = c.pollAsync();
    assertThatThrownBy(() -> waiting.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(20, TimeUnit.SECONDS);
    Answer a = waiting.get(5, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.lines()).containsExactly("{\"type\":\"disconnect\",\"reason\":\"server_restart\",\"reconnect\":true}");
  }

  @Test
  void aPollWhoseClientWentAwayLeavesItsMessagesForTheNextOne() throws Exception {
    deploy(new JsonObject().put("poll_interval", 10).put("poll_flush_interval", 300));
    PollClient c = new PollClient(port, "/lp");
    c.open(PollClient.subscribe(ROOM));
    try (Socket raw = new Socket("127.0.0.1", port)) {
      raw.getOutputStream().write(("POST /lp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Anycable-Poll-ID: " + c.id
          + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      raw.setSoTimeout(300);
      assertThatThrownBy(() -> raw.getInputStream().read()).as("the poll waits").isInstanceOf(SocketTimeoutException.class);
      broadcast("room", "\"kept\"");
    }
    Answer next = c.poll();
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.lines()).hasSize(1);
    assertThat(next.json(0).getString("message")).isEqualTo("kept");
  }

  @Test
  void anAuthenticationErrorIsAnswered500() throws Exception {
    // No application behind the bus: the Connect call fails, as with an unreachable RPC server.
    deploy(new JsonObject().put("noauth", false).put("norpc", false).put("rpc_command_timeout", 500));
    Answer a = new PollClient(port, "/lp").open(PollClient.subscribe(ROOM));
    assertThat(a.status()).isEqualTo(500);
    assertThat(a.lines()).isEmpty();
    assertThat(a.pollId()).isNull();
    eventually(() -> assertThat(engineSessions()).isZero());
  }
}
