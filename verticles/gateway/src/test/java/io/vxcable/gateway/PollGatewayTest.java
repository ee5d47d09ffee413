package io.vxcable.gateway;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vxcable.gateway.PollClient.Answer;
import io.vxcable.protocol.Jwt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The long-polling protocol as a client meets it: authentication, the poll ID, commands, waiting and batching. */
class PollGatewayTest extends PollCase {

  static final String SECRET = "qwerty";

  static String token(String uid) {
    return Jwt.signHs256("{\"ext\":\"{\\\"uid\\\":\\\"" + uid + "\\\"}\",\"exp\":" + (System.currentTimeMillis() / 1000 + 60)
        + "}", SECRET);
  }

  @Test
  void theFirstRequestIsAuthenticatedAndItsCommandsAnsweredWithAPollId() throws Exception {
    deploy(new JsonObject());
    PollClient c = new PollClient(port, "/lp");
    Answer a = c.open(PollClient.subscribe(ROOM));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.pollId()).matches("[A-Za-z0-9_-]{22}");
    assertThat(a.lines()).hasSize(2);
    assertThat(a.json(0).getString("type")).isEqualTo("welcome");
    assertThat(a.json(0).getString("sid")).as("the extended protocol's welcome").isNotEmpty();
    assertThat(a.json(1)).isEqualTo(new JsonObject().put("type", "confirm_subscription").put("identifier", ROOM));
    assertThat(a.header("Content-Type")).startsWith("application/jsonl");
    assertThat(a.header("X-AnyCable-Version")).isEqualTo(HttpFront.VERSION_HEADER);
    assertThat(engineSessions()).isEqualTo(1);
  }

  @Test
  void aRefusedConnectionIsAnswered401WithItsDisconnectMessageAndLeavesNoSession() throws Exception {
    deploy(new JsonObject().put("noauth", false).put("jwt_secret", SECRET).put("enforce_jwt", true));
    Answer refused = new PollClient(port, "/lp").open(PollClient.subscribe(ROOM));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.pollId()).isNull();
    assertThat(refused.lines()).containsExactly("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}");
    eventually(() -> assertThat(engineSessions()).isZero());

    Answer byParam = new PollClient(port, "/lp?jid=" + token("1")).open();
    assertThat(byParam.status()).isEqualTo(200);
    assertThat(byParam.json(0).getString("type")).isEqualTo("welcome");
    Answer byHeader = new PollClient(port, "/lp").header("X-JID", token("2")).open();
    assertThat(byHeader.status()).isEqualTo(200);
    assertThat(engineSessions()).isEqualTo(2);
  }

  @Test
  void laterPollsCarryCommandsAndBringTheirRepliesBackAtOnce() throws Exception {
    deploy(new JsonObject().put("poll_interval", 10));
    PollClient c = new PollClient(port, "/lp");
    c.open();
    long start = System.nanoTime();
    Answer a = c.poll("not json", PollClient.subscribe(ROOM), "{\"command\":\"ping\"}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.pollId()).isNull();
    assertThat(a.lines()).as("the malformed line is dropped, the others run in order").containsExactly(
        new JsonObject().put("type", "confirm_subscription").put("identifier", ROOM).encode(), "{\"type\":\"pong\"}");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("answered without waiting").isLessThan(5_000);
  }

  @Test
  void aWaitingPollIsAnsweredWithTheMessagesOfOneFlushInterval() throws Exception {
    deploy(new JsonObject().put("poll_interval", 10).put("poll_flush_interval", 300));
    PollClient c = new PollClient(port, "/lp");
    c.open(PollClient.subscribe(ROOM));
    CompletableFuture<Answer> waiting = c.pollAsync();
    assertThatThrownBy(() -> waiting.get(500, TimeUnit.MILLISECONDS)).as("nothing to deliver: the poll waits")
        .isInstanceOf(TimeoutException.class);
    long start = System.nanoTime();
    for (int i = 1; i <= 3; i++) {
      broadcast("room", "{\"n\":" + i + "}");
    }
    Answer a = waiting.get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("held for the flush interval")
        .isGreaterThanOrEqualTo(290).isLessThan(5_000);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.lines()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(a.json(i).getString("identifier")).isEqualTo(ROOM);
      assertThat(a.json(i).getJsonObject("message")).isEqualTo(new JsonObject().put("n", i + 1));
    }
  }

  @Test
  void aPollWithNothingToDeliverIsAnsweredEmptyAfterThePollInterval() throws Exception {
    deploy(new JsonObject().put("poll_interval", 1));
    PollClient c = new PollClient(port, "/lp");
    c.open(PollClient.subscribe(ROOM));
    long start = System.nanoTime();
    Answer a = c.poll();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(990).isLessThan(5_000);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.lines()).isEmpty();
    assertThat(c.poll().status()).as("the session lives on").isEqualTo(200);
  }

  @Test
  void aSecondPollAnswersTheWaitingOneEmptyAndWaitsItself() throws Exception {
    deploy(new JsonObject().put("poll_interval", 10));
    PollClient c = new PollClient(port, "/lp");
    c.open(PollClient.subscribe(ROOM));
    CompletableFuture<Answer> first = c.pollAsync();
    assertThatThrownBy(() -> first.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    CompletableFuture<Answer> second = c.pollAsync();
    Answer a1 = first.get(5, TimeUnit.SECONDS);
    assertThat(a1.status()).isEqualTo(200);
    assertThat(a1.lines()).isEmpty();
    assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    broadcast("room", "\"hello\"");
    Answer a2 = second.get(5, TimeUnit.SECONDS);
    assertThat(a2.lines()).hasSize(1);
    assertThat(a2.json(0).getString("message")).isEqualTo("hello");
  }

  @Test
  void aBodyOverThePollMaxRequestSizeIs413() throws Exception {
    deploy(new JsonObject().put("poll_max_request_size", 1024).put("poll_interval", 1));
    String big = "{\"command\":\"subscribe\",\"identifier\":\"" + "x".repeat(2000) + "\"}\n";
    PollClient fresh = new PollClient(port, "/lp");
    assertThat(fresh.post(big, Map.of()).get(10, TimeUnit.SECONDS).status()).isEqualTo(413);
    assertThat(engineSessions()).isZero();
    PollClient c = new PollClient(port, "/lp");
    c.open();
    assertThat(new PollClient(port, "/lp").post(big, Map.of("X-Anycable-Poll-ID", c.id)).get(10, TimeUnit.SECONDS)
        .status()).isEqualTo(413);
    assertThat(c.poll().status()).as("the session outlives a refused request").isEqualTo(200);
  }

  @Test
  void everyAnswerCarriesCorsHeadersAndPreflightIsAnswered() throws Exception {
    deploy(new JsonObject().put("allowed_origins", "example.com"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/lp"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://example.com")
        .header("Access-Control-Request-Headers", "x-anycable-poll-id").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://example.com");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
        .contains("X-Anycable-Poll-ID", "Content-Type", "X-JID");

    Answer allowed = new PollClient(port, "/lp").header("Origin", "http://example.com").open();
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("http://example.com");
    assertThat(allowed.header("Access-Control-Expose-Headers")).isEqualTo("X-Anycable-Poll-ID");
    Answer other = new PollClient(port, "/lp").header("Origin", "http://elsewhere.test").open();
    assertThat(other.status()).as("served, without the allow header").isEqualTo(200);
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    Answer stale = new PollClient(port, "/lp").header("Origin", "http://example.com")
        .post("", Map.of("X-Anycable-Poll-ID", "nope")).get(10, TimeUnit.SECONDS);
    assertThat(stale.status()).isEqualTo(401);
    assertThat(stale.header("Access-Control-Allow-Origin")).isEqualTo("http://example.com");

    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/lp")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void newSessionsPassTheStormShield() throws Exception {
    deploy(new JsonObject().put("max_conn_rate_per_ip", 1).put("max_conn_burst_per_ip", 2));
    PollClient first = new PollClient(port, "/lp");
    assertThat(first.open().status()).isEqualTo(200);
    assertThat(new PollClient(port, "/lp").open().status()).isEqualTo(200);
    Answer shed = new PollClient(port, "/lp").open();
    assertThat(shed.status()).isEqualTo(429);
    assertThat(shed.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(shed.lines()).containsExactly("{\"type\":\"disconnect\",\"reason\":\"rate_limited\",\"reconnect\":true}");
    assertThat(first.poll().status()).as("live sessions keep polling").isEqualTo(200);
    assertThat(engineSessions()).isEqualTo(2);
  }
}
