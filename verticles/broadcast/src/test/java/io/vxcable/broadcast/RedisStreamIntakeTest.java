package io.vxcable.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code redisx} adapter against a private redis-server: XADD from a real client, and faults. */
class RedisStreamIntakeTest {

  static final String STREAM = "__anycable__";

  Vertx vertx;
  RedisServer redis;
  BroadcastVerticle verticle;
  final List<String> delivered = new CopyOnWriteArrayList<>();

  void start(RedisServer server) throws Exception {
    redis = server;
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    vertx.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress("chat/1"), m -> delivered.add(m.body().getMessage().toStringUtf8()))
        .completion().await(10, TimeUnit.SECONDS);
  }

  void deploy(int blockMs) throws Exception {
    JsonObject settings = new JsonObject().put("broadcast_adapter", "redisx").put("redis_url", redis.url())
        .put("redisx_stream", STREAM).put("redisx_read_block_milliseconds", blockMs).put("host", "127.0.0.1").put("broker", "");
    verticle = new BroadcastVerticle();
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(TestConfigs.resolved(settings))).await(20, TimeUnit.SECONDS);
    // The group is created in the background, from the stream's end ($, as anycable-go): entries
    // added before it exists are not for it. Wait for it.
    await(() -> {
      try {
        return redis.command("XINFO", "GROUPS", STREAM).equals("*1");
      } catch (IOException e) {
        return false;
      }
    });
  }

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.close();
    }
  }

  static String publication(String data) {
    return "{\"stream\":\"chat/1\",\"data\":" + new io.vertx.core.json.JsonArray().add(data).encode().replaceAll("^\\[|\\]$", "") + "}";
  }

  /** XADD until Redis acknowledges it (answers with an entry id), riding out restarts. */
  void xadd(String field, String value) throws Exception {
    // While Redis restarts the command fails (IOException): tried again.
    Eventually.eventually(Duration.ofSeconds(30), Duration.ofMillis(20), () -> {
      assertThat(redis.command("XADD", STREAM, "*", field, value)).as("Redis acknowledged the XADD").startsWith("$");
      return null;
    });
  }

  static void await(BooleanSupplier condition) {
    Eventually.eventually(Duration.ofSeconds(40), Duration.ofMillis(25), () -> {
      assertThat(condition.getAsBoolean()).as("condition").isTrue();
      return null;
    });
  }

  long xlen() throws IOException {
    return Long.parseLong(redis.command("XLEN", STREAM).substring(1));
  }

  /** Every entry was acknowledged and deleted. */
  void awaitStreamEmpty() throws InterruptedException {
    await(() -> {
      try {
        return xlen() == 0;
      } catch (IOException e) {
        return false;
      }
    });
  }

  @Test
  void entriesAreDeliveredThenAcknowledgedAndDeleted() throws Exception {
    start(RedisServer.start());
    deploy(500);
    xadd("payload", publication("1"));
    xadd("payload", "[" + publication("2") + "," + publication("3") + "]");
    await(() -> delivered.size() == 3);
    assertThat(delivered).containsExactly("1", "2", "3");
    awaitStreamEmpty();
  }

  @Test
  void malformedEntriesAreCountedSkippedAndRemoved() throws Exception {
    start(RedisServer.start());
    deploy(500);
    xadd("other", "no payload field");
    xadd("payload", "not json");
    xadd("payload", publication("valid"));
    await(() -> delivered.size() == 1);
    assertThat(delivered).containsExactly("\"valid\"");
    Eventually.eventually(() -> assertThat(verticle.redisx().malformed()).isEqualTo(2));
    awaitStreamEmpty();
  }

  @Test
  void entriesLeftPendingByADeadConsumerAreClaimed() throws Exception {
    start(RedisServer.start());
    assertThat(redis.command("XGROUP", "CREATE", STREAM, "bx", "$", "MKSTREAM")).isEqualTo("+OK");
    xadd("payload", publication("orphan 1"));
    xadd("payload", publication("orphan 2"));
    // A consumer reads them and dies before acknowledging.
    assertThat(redis.command("XREADGROUP", "GROUP", "bx", "dead", "COUNT", "10", "STREAMS", STREAM, ">")).startsWith("*");
    assertThat(redis.command("XPENDING", STREAM, "bx")).startsWith("*");
    deploy(300);
    await(() -> delivered.size() == 2);
    assertThat(delivered).containsExactly("\"orphan 1\"", "\"orphan 2\"");
    awaitStreamEmpty();
  }

  @Test
  void nothingRedisAcknowledgedIsLostWhenRedisRestartsMidStream() throws Exception {
    start(RedisServer.startPersistent());
    deploy(300);
    Set<String> expected = ConcurrentHashMap.newKeySet();
    Thread publisher = new Thread(() -> {
      try {
        for (int n = 1; n <= 60; n++) {
          xadd("payload", publication(String.valueOf(n)));
          expected.add(String.valueOf(n));
          Thread.sleep(15);
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    publisher.start();
    await(() -> expected.size() >= 20);
    redis.restart();
    publisher.join(60_000);
    assertThat(expected).hasSize(60);
    // At least once: a restart may bring back an entry whose acknowledgement was lost.
    Eventually.eventually(Duration.ofSeconds(30), Duration.ofMillis(25), () -> {
      Set<String> missing = new java.util.TreeSet<>(expected);
      missing.removeAll(delivered);
      assertThat(missing).as("acknowledged by Redis but never delivered; XLEN " + xlen() + ", pending "
          + redis.command("XPENDING", STREAM, "bx")).isEmpty();
      return null;
    });
  }
}
