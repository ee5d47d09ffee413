package io.vxcable.ocpp;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.RemoteDisconnect;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.Status;
import io.vxcable.gateway.GatewayVerticle;
import io.vxcable.protocol.JsonText;
import io.vxcable.testkit.FreePorts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The translator mounted on a gateway's main port ({@code --ocpp_path=/ocpp}) with an
 * {@code OCPPChannel} application standing on the bus at {@code cable.rpc.*}: boot, actions,
 * acknowledgements from the application and by default, heartbeats, a remote command by
 * broadcast and its result, malformed frames, and the Disconnect call at the end.
 */
class OcppGatewayTest {

  Vertx vertx;
  int port;
  final List<CommandMessage> commands = new CopyOnWriteArrayList<>();
  final CompletableFuture<ConnectionRequest> connected = new CompletableFuture<>();
  final CompletableFuture<DisconnectRequest> disconnected = new CompletableFuture<>();
  final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    port = FreePorts.next();
    application();
    JsonObject conf = new JsonObject().put("host", "127.0.0.1").put("port", port).put("ocpp_path", "/ocpp")
        .put("ping_interval", 5).put("http_broadcast_port", FreePorts.next());
    vertx.deployVerticle(new GatewayVerticle(),
        new DeploymentOptions().setConfig(Settings.fromVerticleConfig(conf, Map.of()).toJson())).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** The application: accepts the station, streams it from ev/<sn>, acks Authorize itself. */
  void application() throws Exception {
    vertx.eventBus().<ConnectionRequest>consumer(Addresses.RPC_CONNECT, m -> {
      connected.complete(m.body());
      m.reply(ConnectionResponse.newBuilder().setStatus(Status.SUCCESS).setIdentifiers("{\"station\":\"CS-001\"}")
          .addTransmissions("{\"type\":\"welcome\"}").build());
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<CommandMessage>consumer(Addresses.RPC_COMMAND, m -> {
      CommandMessage c = m.body();
      commands.add(c);
      String id = JsonText.quote(c.getIdentifier());
      CommandResponse.Builder r = CommandResponse.newBuilder().setStatus(Status.SUCCESS);
      if (c.getCommand().equals("subscribe")) {
        String sn = new JsonObject(c.getIdentifier()).getString("sn");
        r.addStreams("ev/" + sn).addTransmissions("{\"identifier\":" + id + ",\"type\":\"confirm_subscription\"}");
      } else {
        JsonObject data = new JsonObject(c.getData());
        if ("authorize".equals(data.getString("action"))) {
          r.addTransmissions("{\"identifier\":" + id + ",\"message\":{\"command\":\"Ack\",\"id\":"
              + JsonText.quote(data.getString("id")) + ",\"payload\":{\"idTagInfo\":{\"status\":\"Accepted\"}}}}");
        }
      }
      m.reply(r.build());
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<DisconnectRequest>consumer(Addresses.RPC_DISCONNECT, m -> disconnected.complete(m.body()))
        .completion().await(5, TimeUnit.SECONDS);
  }

  WebSocket connect() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/ocpp/CS-001").addSubProtocol("ocpp1.6")).await(10, TimeUnit.SECONDS);
    ws.textMessageHandler(frames::add);
    return ws;
  }

  JsonArray next() throws Exception {
    String f = frames.poll(10, TimeUnit.SECONDS);
    assertThat(f).as("a frame within 10 s").isNotNull();
    return new JsonArray(f);
  }

  JsonObject data(int i) {
    return new JsonObject(commands.get(i).getData());
  }

  @Test
  void aStationBootsTalksToItsChannelAndTakesRemoteCommands() throws Exception {
    WebSocket ws = connect();
    assertThat(ws.subProtocol()).isEqualTo("ocpp1.6");
    ws.writeTextMessage("[2,\"b1\",\"BootNotification\",{\"chargePointVendor\":\"acme\",\"chargePointModel\":\"m1\","
        + "\"meterSerialNumber\":\"SN-1\"}]").await(5, TimeUnit.SECONDS);
    JsonArray boot = next();
    assertThat(boot.getInteger(0)).isEqualTo(3);
    assertThat(boot.getString(1)).isEqualTo("b1");
    assertThat(boot.getJsonObject(2).getString("status")).isEqualTo("Accepted");
    assertThat(boot.getJsonObject(2).getInteger("interval")).isEqualTo(5);
    assertThat(connected.get(5, TimeUnit.SECONDS).getEnv().getUrl()).endsWith("/ocpp/CS-001");
    assertThat(commands.get(0).getCommand()).isEqualTo("subscribe");
    assertThat(new JsonObject(commands.get(0).getIdentifier()))
        .isEqualTo(new JsonObject().put("channel", "OCPPChannel").put("sn", "SN-1").put("station_id", "CS-001"));
    assertThat(commands.get(1).getCommand()).isEqualTo("message");
    assertThat(data(1).getString("action")).isEqualTo("boot_notification");
    assertThat(data(1).getJsonObject("payload").getString("chargePointVendor")).isEqualTo("acme");

    ws.writeTextMessage("[2,\"a1\",\"Authorize\",{\"idTag\":\"T-1\"}]");
    assertThat(next().encode()).isEqualTo("[3,\"a1\",{\"idTagInfo\":{\"status\":\"Accepted\"}}]");
    ws.writeTextMessage("[2,\"s1\",\"StatusNotification\",{\"connectorId\":1,\"status\":\"Available\",\"errorCode\":\"NoError\"}]");
    assertThat(next().encode()).isEqualTo("[3,\"s1\",{\"status\":\"Accepted\"}]");
    assertThat(data(3).getString("action")).isEqualTo("status_notification");
    ws.writeTextMessage("[2,\"h1\",\"Heartbeat\",{}]");
    JsonArray beat = next();
    assertThat(beat.getString(1)).isEqualTo("h1");
    assertThat(beat.getJsonObject(2).getString("currentTime")).isNotEmpty();
    assertThat(commands).as("heartbeats stay with the server").hasSize(4);

    ws.writeTextMessage("[2,\"x\",\"Authorize\"]");
    assertThat(next().encode()).isEqualTo("[4,\"x\",\"FormationViolation\",\"a CALL is [2, id, action, {payload}]\",{}]");

    vertx.eventBus().publish(Addresses.broadcastAddress("ev/SN-1"), StreamBroadcast.newBuilder().setStream("ev/SN-1")
        .setMessage(ByteString.copyFromUtf8("{\"command\":\"Reset\",\"id\":\"r1\",\"payload\":{\"type\":\"Soft\"}}")).build());
    assertThat(next().encode()).isEqualTo("[2,\"r1\",\"Reset\",{\"type\":\"Soft\"}]");
    ws.writeTextMessage("[3,\"r1\",{\"status\":\"Accepted\"}]");
    eventually(() -> assertThat(commands).hasSize(5));
    assertThat(data(4)).isEqualTo(new JsonObject().put("action", "ack").put("id", "r1").put("command", "Ack")
        .put("payload", new JsonObject().put("status", "Accepted")));

    ws.close();
    DisconnectRequest bye = disconnected.get(10, TimeUnit.SECONDS);
    assertThat(bye.getIdentifiers()).isEqualTo("{\"station\":\"CS-001\"}");
    assertThat(bye.getSubscriptionsList()).hasSize(1);
  }

  /** OCPP has no disconnect message: a remote disconnect of the station's identifiers is a bare close. */
  @Test
  void aRemoteDisconnectClosesTheStationWithoutAFrame() throws Exception {
    WebSocket ws = connect();
    AtomicReference<Short> closed = new AtomicReference<>();
    ws.closeHandler(v -> closed.set(ws.closeStatusCode()));
    ws.writeTextMessage("[2,\"b1\",\"BootNotification\",{\"meterSerialNumber\":\"SN-9\"}]");
    assertThat(next().getString(1)).isEqualTo("b1");
    vertx.eventBus().publish(Addresses.EVENTS_COMMAND, RemoteCommand.newBuilder()
        .setDisconnect(RemoteDisconnect.newBuilder().setIdentifiers("{\"station\":\"CS-001\"}").setReconnect(true))
        .build());
    eventually(() -> assertThat(closed.get()).isEqualTo((short) 1000));
    assertThat(frames).as("no disconnect frame in OCPP").isEmpty();
  }
}
