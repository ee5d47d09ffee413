package io.vxcable.graphql;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.Status;
import io.vxcable.gateway.GatewayVerticle;
import io.vxcable.protocol.JsonText;
import io.vxcable.protocol.Jwt;
import io.vxcable.testkit.FreePorts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The translator mounted on a gateway's main port ({@code --graphql_path=/graphql}) with a
 * {@code GraphqlChannel} application on the bus at {@code cable.rpc.*}: Connect sees the
 * connection params as {@code x-apollo-connection} and refuses a wrong token; a query is answered
 * with next and complete; a subscription takes broadcasts until the client completes it; the
 * legacy protocol gets the same flow.
 */
class GraphqlGatewayTest {

  static final String JWT_SECRET = "graphql-jwt-secret";

  Vertx vertx;
  int port;
  final List<ConnectionRequest> connects = new CopyOnWriteArrayList<>();
  final List<CommandMessage> commands = new CopyOnWriteArrayList<>();
  final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
  final List<WebSocket> sockets = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    port = FreePorts.next();
    application();
    JsonObject conf = new JsonObject().put("host", "127.0.0.1").put("port", port).put("graphql_path", "/graphql")
        .put("jwt_secret", JWT_SECRET).put("http_broadcast_port", FreePorts.next());
    vertx.deployVerticle(new GatewayVerticle(),
        new DeploymentOptions().setConfig(Settings.fromVerticleConfig(conf, Map.of()).toJson())).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    // Clients first: a client left open when its own Vert.x instance closes can hold the close up.
    for (WebSocket ws : sockets) {
      ws.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /**
   * The application: accepts the token "secret" from the connection params; its channel answers a
   * query ({@code {...}}) with a final result and a subscription with {@code data: null}, streaming
   * it from {@code posts}.
   */
  void application() throws Exception {
    vertx.eventBus().<ConnectionRequest>consumer(Addresses.RPC_CONNECT, m -> {
      connects.add(m.body());
      String params = m.body().getEnv().getHeadersMap().get("x-apollo-connection");
      boolean ok = params != null && "secret".equals(new JsonObject(params).getString("token"));
      m.reply(ok
          ? ConnectionResponse.newBuilder().setStatus(Status.SUCCESS).setIdentifiers("{\"user\":\"u1\"}")
              .addTransmissions("{\"type\":\"welcome\"}").build()
          : ConnectionResponse.newBuilder().setStatus(Status.FAILURE)
              .addTransmissions("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}").build());
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<CommandMessage>consumer(Addresses.RPC_COMMAND, m -> {
      CommandMessage c = m.body();
      commands.add(c);
      String id = JsonText.quote(c.getIdentifier());
      CommandResponse.Builder r = CommandResponse.newBuilder().setStatus(Status.SUCCESS);
      if (c.getCommand().equals("subscribe")) {
        r.addTransmissions("{\"identifier\":" + id + ",\"type\":\"confirm_subscription\"}");
      } else if (c.getCommand().equals("message")) {
        String query = new JsonObject(c.getData()).getString("query");
        if (query.startsWith("subscription")) {
          r.addStreams("posts").addTransmissions("{\"identifier\":" + id + ",\"message\":{\"result\":{\"data\":null},\"more\":true}}");
        } else {
          r.addTransmissions("{\"identifier\":" + id + ",\"message\":{\"result\":{\"data\":{\"hello\":\"world\"}},\"more\":false}}");
        }
      }
      m.reply(r.build());
    }).completion().await(5, TimeUnit.SECONDS);
  }

  WebSocket connect(String subprotocol) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/graphql").addSubProtocol(subprotocol)).await(10, TimeUnit.SECONDS);
    ws.textMessageHandler(frames::add);
    sockets.add(ws);
    return ws;
  }

  JsonObject next() throws Exception {
    String f = frames.poll(10, TimeUnit.SECONDS);
    assertThat(f).as("a frame within 10 s").isNotNull();
    return new JsonObject(f);
  }

  void broadcast(String message) {
    vertx.eventBus().publish(Addresses.broadcastAddress("posts"), StreamBroadcast.newBuilder().setStream("posts")
        .setMessage(ByteString.copyFromUtf8(message)).build());
  }

  @Test
  void graphqlWsQueriesAndSubscriptionsRunThroughTheChannel() throws Exception {
    WebSocket ws = connect("graphql-transport-ws");
    assertThat(ws.subProtocol()).isEqualTo("graphql-transport-ws");
    ws.writeTextMessage("{\"type\":\"connection_init\",\"payload\":{\"token\":\"secret\"}}");
    assertThat(next()).isEqualTo(new JsonObject().put("type", "connection_ack"));
    assertThat(connects).singleElement().satisfies(c -> assertThat(c.getEnv().getHeadersMap())
        .containsEntry("x-apollo-connection", "{\"token\":\"secret\"}"));

    ws.writeTextMessage("{\"id\":\"q1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hello }\"}}");
    assertThat(next().encode()).isEqualTo("{\"id\":\"q1\",\"type\":\"next\",\"payload\":{\"data\":{\"hello\":\"world\"}}}");
    assertThat(next().encode()).isEqualTo("{\"id\":\"q1\",\"type\":\"complete\"}");
    assertThat(commands.get(0).getIdentifier()).isEqualTo("{\"channel\":\"GraphqlChannel\",\"channelId\":\"q1\"}");
    assertThat(new JsonObject(commands.get(1).getData()).getString("action")).isEqualTo("execute");

    ws.writeTextMessage("{\"id\":\"s1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { post }\"}}");
    // The pong comes once the operation's commands ran: its stream is subscribed.
    ws.writeTextMessage("{\"type\":\"ping\"}");
    assertThat(next().encode()).isEqualTo("{\"type\":\"pong\"}");
    // The finished query was unsubscribed first.
    assertThat(commands).extracting(CommandMessage::getCommand)
        .containsExactly("subscribe", "message", "unsubscribe", "subscribe", "message");
    broadcast("{\"result\":{\"data\":{\"post\":\"p1\"}},\"more\":true}");
    assertThat(next().encode()).isEqualTo("{\"id\":\"s1\",\"type\":\"next\",\"payload\":{\"data\":{\"post\":\"p1\"}}}");

    ws.writeTextMessage("{\"type\":\"ping\"}");
    assertThat(next().encode()).isEqualTo("{\"type\":\"pong\"}");
    ws.writeTextMessage("{\"id\":\"s1\",\"type\":\"complete\"}");
    ws.writeTextMessage("{\"type\":\"ping\"}");
    assertThat(next().encode()).isEqualTo("{\"type\":\"pong\"}");
    assertThat(commands).hasSize(6);
    assertThat(commands.get(5).getCommand()).isEqualTo("unsubscribe");
    assertThat(commands.get(5).getIdentifier()).isEqualTo("{\"channel\":\"GraphqlChannel\",\"channelId\":\"s1\"}");
    broadcast("{\"result\":{\"data\":{\"post\":\"p2\"}},\"more\":true}");
    ws.writeTextMessage("{\"type\":\"ping\"}");
    assertThat(next().encode()).as("no broadcast after complete").isEqualTo("{\"type\":\"pong\"}");
  }

  @Test
  void aWrongTokenIsForbidden() throws Exception {
    WebSocket ws = connect("graphql-transport-ws");
    AtomicReference<Short> closed = new AtomicReference<>();
    ws.closeHandler(v -> closed.set(ws.closeStatusCode()));
    ws.writeTextMessage("{\"type\":\"connection_init\",\"payload\":{\"token\":\"wrong\"}}");
    eventually(() -> assertThat(closed.get()).isEqualTo((short) 4403));
    assertThat(frames).isEmpty();
  }

  /** With --jwt_secret, the connection params' jid identifies the client without Connect. */
  @Test
  void aJwtInTheConnectionParamsIdentifiesTheClient() throws Exception {
    WebSocket ws = connect("graphql-transport-ws");
    String jwt = Jwt.signHs256("{\"ext\":\"{\\\"user\\\":\\\"jay\\\"}\"}", JWT_SECRET);
    ws.writeTextMessage(new JsonObject().put("type", "connection_init").put("payload", new JsonObject().put("jid", jwt)).encode());
    assertThat(next()).isEqualTo(new JsonObject().put("type", "connection_ack"));
    ws.writeTextMessage("{\"id\":\"q\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hello }\"}}");
    assertThat(next().getString("type")).isEqualTo("next");
    assertThat(connects).as("no Connect call").isEmpty();
    assertThat(commands.get(0).getConnectionIdentifiers()).isEqualTo("{\"user\":\"jay\"}");

    WebSocket bad = connect("graphql-transport-ws");
    AtomicReference<Short> closed = new AtomicReference<>();
    bad.closeHandler(v -> closed.set(bad.closeStatusCode()));
    bad.writeTextMessage("{\"type\":\"connection_init\",\"payload\":{\"jid\":\"not.a.token\"}}");
    eventually(() -> assertThat(closed.get()).isEqualTo((short) 4403));
    assertThat(connects).isEmpty();
  }

  @Test
  void aSubscribeBeforeInitIsUnauthorized() throws Exception {
    WebSocket ws = connect("graphql-transport-ws");
    AtomicReference<Short> closed = new AtomicReference<>();
    ws.closeHandler(v -> closed.set(ws.closeStatusCode()));
    ws.writeTextMessage("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\"}}");
    eventually(() -> assertThat(closed.get()).isEqualTo((short) 4401));
    assertThat(connects).isEmpty();
  }

  @Test
  void theLegacyProtocolRunsTheSameFlow() throws Exception {
    WebSocket ws = connect("graphql-ws");
    assertThat(ws.subProtocol()).isEqualTo("graphql-ws");
    // As subscriptions-transport-ws does: start right after init, before the ack.
    ws.writeTextMessage("{\"type\":\"connection_init\",\"payload\":{\"token\":\"secret\"}}");
    ws.writeTextMessage("{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { post }\"}}");
    assertThat(next()).isEqualTo(new JsonObject().put("type", "connection_ack"));
    String expected = "{\"id\":\"1\",\"type\":\"data\",\"payload\":{\"data\":{\"post\":\"p1\"}}}";
    // The legacy protocol has no ping to learn when the stream is subscribed: broadcast until it is.
    eventually(() -> {
      broadcast("{\"result\":{\"data\":{\"post\":\"p1\"}},\"more\":true}");
      assertThat(frames).contains(expected);
    });
    assertThat(frames).allSatisfy(f -> assertThat(f).isIn(expected, "{\"type\":\"ka\"}"));
    ws.writeTextMessage("{\"id\":\"1\",\"type\":\"stop\"}");
    eventually(() -> assertThat(commands).extracting(CommandMessage::getCommand).last().isEqualTo("unsubscribe"));
  }

  @Test
  void aRefusedLegacyClientGetsAConnectionError() throws Exception {
    WebSocket ws = connect("graphql-ws");
    AtomicReference<Short> closed = new AtomicReference<>();
    ws.closeHandler(v -> closed.set(ws.closeStatusCode()));
    ws.writeTextMessage("{\"type\":\"connection_init\",\"payload\":{}}");
    assertThat(next()).isEqualTo(new JsonObject().put("type", "connection_error")
        .put("payload", new JsonObject().put("message", "unauthorized")));
    eventually(() -> assertThat(closed.get()).isEqualTo((short) 1000));
  }
}
