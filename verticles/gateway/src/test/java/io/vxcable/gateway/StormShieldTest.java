package io.vxcable.gateway;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.Status;
import io.vxcable.testkit.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The storm shield on a real gateway ({@code --max_conn_rate_per_ip}, {@code --max_pending_connections})
 * and the slow drain of a shutdown ({@code --shutdown_slowdrain}).
 */
class StormShieldTest extends GatewayCase {

  static final String ACTION_CABLE = "actioncable-v1-json";

  /** The frames and close of a connection that was turned away. */
  record Shed(JsonObject notice, short code, String reason) {}

  Shed shedOf(TestClient c) {
    JsonObject notice = c.nextJson();
    short code = c.awaitClose();
    return new Shed(notice, code, c.ws.closeReason());
  }

  @Test
  void anAddressOverItsRateIsToldToComeBackLaterAndTheOthersKeepTheirSessions() throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("max_conn_rate_per_ip", 1).put("max_conn_burst_per_ip", 3));
    List<TestClient> admitted = new ArrayList<>();
    List<Shed> shed = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      TestClient c = TestClient.connect(vertx, port);
      JsonObject first = c.nextJson();
      if ("welcome".equals(first.getString("type"))) {
        admitted.add(c);
      } else {
        shed.add(new Shed(first, c.awaitClose(), c.ws.closeReason()));
        c.close();
      }
    }
    long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertThat(admitted.size()).as("the burst, then one per second").isBetween(3, 3 + (int) elapsedSeconds + 1);
    assertThat(shed).isNotEmpty();
    for (Shed s : shed) {
      assertThat(s.notice()).isEqualTo(new JsonObject().put("type", "disconnect").put("reason", "rate_limited").put("reconnect", true));
      assertThat(s.code()).as("Try Again Later").isEqualTo((short) 1013);
      assertThat(s.reason()).matches("Try again in [1-9][0-9]* s");
    }
    for (TestClient c : admitted) {
      assertThat(c.subscribe("{\"channel\":\"$pubsub\",\"stream_name\":\"s\"}")).contains("confirm_subscription");
      c.close();
    }
  }

  @Test
  void connectionsBeyondThePendingLimitAreShedUntilAuthenticationsFinish() throws Exception {
    List<Message<ConnectionRequest>> held = new CopyOnWriteArrayList<>();
    vertx.eventBus().<ConnectionRequest>consumer(Addresses.RPC_CONNECT, held::add).completion().await(5, TimeUnit.SECONDS);
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("norpc", false).put("noauth", false)
        .put("public_streams", false).put("max_pending_connections", 2));

    TestClient first = TestClient.connect(vertx, port);
    TestClient second = TestClient.connect(vertx, port);
    eventually(() -> assertThat(held).hasSize(2));
    try (TestClient third = TestClient.connect(vertx, port)) {
      Shed s = shedOf(third);
      assertThat(s.notice()).isEqualTo(new JsonObject().put("type", "disconnect").put("reason", "overloaded").put("reconnect", true));
      assertThat(s.code()).isEqualTo((short) 1013);
      assertThat(s.reason()).matches("Try again in [1-5] s");
    }
    assertThat(held).as("a shed connection never reaches the application").hasSize(2);

    held.get(0).reply(welcome());
    assertThat(first.nextJson().getString("type")).isEqualTo("welcome");
    try (TestClient fourth = TestClient.connect(vertx, port)) {
      eventually(() -> assertThat(held).hasSize(3));
      held.get(2).reply(welcome());
      assertThat(fourth.nextJson().getString("type")).as("a finished authentication frees a place").isEqualTo("welcome");
    }
    held.get(1).reply(welcome());
    assertThat(second.nextJson().getString("type")).isEqualTo("welcome");
    first.close();
    second.close();
  }

  private static ConnectionResponse welcome() {
    return ConnectionResponse.newBuilder().setStatus(Status.SUCCESS).setIdentifiers("{\"uid\":\"1\"}")
        .addTransmissions("{\"type\":\"welcome\"}").build();
  }

  @Test
  void slowDrainDisconnectsOneAfterAnotherAndTheHealthCheckSaysSo() throws Exception {
    String id = GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("shutdown_slowdrain", true).put("shutdown_timeout", 3));
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TestClient c = TestClient.connect(vertx, port, "/cable", List.of(ACTION_CABLE), Map.of());
      assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
      clients.add(c);
    }
    var undeployed = vertx.undeploy(id);
    // 5 sessions over 2.4 s (3 s less a fifth): one goes at once, the next ~480 ms later.
    eventually(() -> assertThat(clients).anyMatch(c -> c.closed.future().isComplete()));
    long stillOpen = clients.stream().filter(c -> !c.closed.future().isComplete()).count();
    assertThat(stillOpen).as("the others wait their turn").isGreaterThanOrEqualTo(3);
    assertThat(RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n")).as("no new clients while draining")
        .startsWith("HTTP/1.1 503");
    for (TestClient c : clients) {
      assertThat(c.nextJson()).isEqualTo(new JsonObject().put("type", "disconnect").put("reason", "server_restart").put("reconnect", true));
      assertThat(c.awaitClose()).isEqualTo((short) 1001);
    }
    TestClient.await(undeployed);
  }
}
