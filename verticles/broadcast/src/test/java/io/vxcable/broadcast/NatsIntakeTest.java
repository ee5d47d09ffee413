package io.vxcable.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.NatsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code nats} adapter against a private nats-server, published to with the Java NATS client. */
class NatsIntakeTest {

  Vertx vertx;
  NatsServer nats;
  BroadcastVerticle verticle;
  final List<String> delivered = new CopyOnWriteArrayList<>();
  final List<RemoteCommand> commands = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    nats = NatsServer.start();
    vertx.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress("chat/1"), m -> delivered.add(m.body().getMessage().toStringUtf8()))
        .completion().await(10, TimeUnit.SECONDS);
    vertx.eventBus().<RemoteCommand>consumer(Addresses.EVENTS_COMMAND, m -> commands.add(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    nats.close();
  }

  void deploy() throws Exception {
    JsonObject settings = new JsonObject().put("broadcast_adapter", "nats").put("nats_servers", nats.url())
        .put("nats_channel", "__anycable__").put("host", "127.0.0.1").put("broker", "");
    verticle = new BroadcastVerticle();
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(TestConfigs.resolved(settings))).await(20, TimeUnit.SECONDS);
  }

  /** Publishes with a fresh client until the adapter has received something (it subscribes in the background). */
  void publishUntil(String body, BooleanSupplier received) throws Exception {
    try (Connection c = Nats.connect(new Options.Builder().server(nats.url()).maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(100)).build())) {
      Eventually.eventually(Duration.ofSeconds(40), Duration.ofMillis(100), () -> {
        c.publish("__anycable__", body.getBytes(StandardCharsets.UTF_8));
        c.flush(Duration.ofSeconds(2));
        assertThat(received.getAsBoolean()).as("delivered").isTrue();
        return null;
      });
    }
  }

  @Test
  void publicationsBatchesAndCommandsArriveFromNats() throws Exception {
    deploy();
    publishUntil("{\"stream\":\"chat/1\",\"data\":\"1\"}", () -> !delivered.isEmpty());
    delivered.clear();
    publishUntil("[{\"stream\":\"chat/1\",\"data\":\"2\"},{\"stream\":\"chat/1\",\"data\":\"3\"}]", () -> delivered.contains("3"));
    // A late copy of the first publication (published again until one arrived) may come after clear().
    List<String> batch = List.copyOf(delivered).stream().filter(d -> !d.equals("1")).toList();
    assertThat(batch.subList(0, 2)).as("a batch in its order").containsExactly("2", "3");
    publishUntil("{\"command\":\"disconnect\",\"payload\":{\"identifier\":\"u1\",\"reconnect\":false}}", () -> !commands.isEmpty());
    assertThat(commands.get(0).getDisconnect().getIdentifiers()).isEqualTo("u1");
  }

  @Test
  void malformedMessagesAreSkippedAndARestartedServerIsSubscribedAgain() throws Exception {
    deploy();
    publishUntil("not json", () -> verticle.pubSubFailed() > 0);
    publishUntil("{\"stream\":\"chat/1\",\"data\":\"before\"}", () -> delivered.contains("\"before\""));
    nats.restart();
    publishUntil("{\"stream\":\"chat/1\",\"data\":\"after\"}", () -> delivered.contains("\"after\""));
  }

  @Test
  void aServerThatIsDownAtStartDoesNotStopTheVerticle() throws Exception {
    nats.stop();
    deploy();
    assertThat(vertx.deploymentIDs()).hasSize(1);
    nats.restart();
    publishUntil("{\"stream\":\"chat/1\",\"data\":\"late\"}", () -> delivered.contains("\"late\""));
  }
}
