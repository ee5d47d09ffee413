package io.vxcable.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code redis} adapter against a private redis-server: PUBLISH from a real client, faults. */
class RedisPubSubIntakeTest {

  Vertx vertx;
  RedisServer redis;
  BroadcastVerticle verticle;
  final List<StreamBroadcast> delivered = new CopyOnWriteArrayList<>();
  final List<RemoteCommand> commands = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    redis = RedisServer.start();
    vertx.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress("chat/1"), m -> delivered.add(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
    vertx.eventBus().<RemoteCommand>consumer(Addresses.EVENTS_COMMAND, m -> commands.add(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    redis.close();
  }

  void deploy() throws Exception {
    JsonObject settings = new JsonObject().put("broadcast_adapter", "redis").put("redis_url", redis.url())
        .put("redis_channel", "__anycable__").put("host", "127.0.0.1").put("broker", "");
    verticle = new BroadcastVerticle();
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(TestConfigs.resolved(settings))).await(20, TimeUnit.SECONDS);
  }

  /** PUBLISHes until the adapter has subscribed (a message before SUBSCRIBE is lost, as in Redis). */
  void publishWhenSubscribed(String body) throws Exception {
    await(() -> {
      try {
        return subscribers() > 0;
      } catch (Exception e) {
        return false;
      }
    });
    redis.command("PUBLISH", "__anycable__", body);
  }

  long subscribers() throws Exception {
    // PUBLISH answers with the number of subscribers that got it; the probe is not a publication.
    return Long.parseLong(redis.command("PUBLISH", "__anycable__", "{\"probe\":true}").substring(1));
  }

  static void await(BooleanSupplier condition) {
    Eventually.eventually(Duration.ofSeconds(40), Duration.ofMillis(25), () -> {
      assertThat(condition.getAsBoolean()).as("condition").isTrue();
      return null;
    });
  }

  @Test
  void publicationsBatchesAndCommandsArriveFromRedis() throws Exception {
    deploy();
    publishWhenSubscribed("{\"stream\":\"chat/1\",\"data\":\"{\\\"text\\\":\\\"hi\\\"}\"}");
    redis.command("PUBLISH", "__anycable__", "[{\"stream\":\"chat/1\",\"data\":\"2\"},{\"stream\":\"chat/1\",\"data\":\"3\"}]");
    redis.command("PUBLISH", "__anycable__", "{\"command\":\"disconnect\",\"payload\":{\"identifier\":\"u1\",\"reconnect\":true}}");
    await(() -> delivered.size() == 3 && commands.size() == 1);
    assertThat(delivered).extracting(b -> b.getMessage().toStringUtf8()).containsExactly("{\"text\":\"hi\"}", "2", "3");
    assertThat(commands.get(0).getDisconnect().getIdentifiers()).isEqualTo("u1");
  }

  @Test
  void malformedPayloadsAreCountedAndSkipped() throws Exception {
    deploy();
    publishWhenSubscribed("not json at all");
    redis.command("PUBLISH", "__anycable__", "{\"stream\":\"chat/1\",\"data\":\"after\"}");
    await(() -> delivered.size() == 1);
    assertThat(delivered.get(0).getMessage().toStringUtf8()).isEqualTo("\"after\"");
    // the probes published while waiting for the subscription do not parse either
    assertThat(verticle.pubSubFailed()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRestartedRedisIsSubscribedAgain() throws Exception {
    deploy();
    publishWhenSubscribed("{\"stream\":\"chat/1\",\"data\":\"before\"}");
    await(() -> delivered.size() == 1);
    redis.restart();
    publishWhenSubscribed("{\"stream\":\"chat/1\",\"data\":\"after the restart\"}");
    await(() -> delivered.size() == 2);
    assertThat(delivered.get(1).getMessage().toStringUtf8()).isEqualTo("\"after the restart\"");
  }

  @Test
  void aRedisThatIsDownAtStartDoesNotStopTheVerticle() throws Exception {
    redis.stop();
    deploy();
    assertThat(vertx.deploymentIDs()).hasSize(1);
    redis.restart();
    publishWhenSubscribed("{\"stream\":\"chat/1\",\"data\":\"late\"}");
    await(() -> delivered.size() == 1);
  }
}
