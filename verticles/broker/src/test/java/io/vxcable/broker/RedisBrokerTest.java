package io.vxcable.broker;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vxcable.backends.RedisSettings;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on the Redis backend: a private redis-server, a fresh key prefix per broker. */
class RedisBrokerTest extends BrokerContract {

  static RedisServer redis;
  static Vertx vertx;
  static Redis client;

  @BeforeAll
  static void server() throws Exception {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    client = client(redis);
  }

  @AfterAll
  static void shutdown() throws Exception {
    client.close().await(20, TimeUnit.SECONDS);
    vertx.close().await(20, TimeUnit.SECONDS);
    redis.close();
  }

  /** A client as the server makes it from {@code --redis_url} (RedisSettings sizes its pool). */
  static Redis client(RedisServer server) {
    return Redis.createClient(vertx, new RedisSettings(server.url(), List.of(), false, "", "", "", false).options());
  }

  String prefix;

  @Override
  boolean remembersTags() {
    return true;
  }

  @Override
  RedisBroker newBroker(int historyLimit, int historyTtlSeconds, int sessionsTtlSeconds) throws Exception {
    prefix = "test:" + UUID.randomUUID() + ":";
    return get(RedisBroker.start(vertx, client, prefix, historyLimit, historyTtlSeconds, sessionsTtlSeconds, () -> now));
  }

  RedisBroker another(Redis on, int historyLimit) throws Exception {
    return get(RedisBroker.start(vertx, on, prefix, historyLimit, 60, 300, () -> now));
  }

  /** The future's result, as an assertion failure when it fails or takes long (for {@code eventually}). */
  static <T> T attempt(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not yet: " + e, e);
    }
  }

  @Test
  void brokersOnOneRedisShareTheEpochTheOffsetsAndTheSessions() throws Exception {
    Broker first = newBroker(10, 60, 300);
    Broker second = another(client, 10);
    assertThat(second.epoch()).isEqualTo(first.epoch());
    append(first, msg("a", "1"));
    assertThat(append(second, msg("a", "2")).getOffset()).isEqualTo(2);
    assertThat(data(get(first.historyFrom("a", first.epoch(), 0)))).containsExactly("1", "2");
    assertThat(get(first.position("a"))).isEqualTo(2);
    get(second.commitSession("s", new byte[] {7}));
    assertThat(get(first.restoreSession("s"))).containsExactly(7);
  }

  @Test
  void brokersWithAnotherPrefixHaveTheirOwnEpochAndStreams() throws Exception {
    Broker first = newBroker(10, 60, 300);
    append(first, msg("a", "1"));
    Broker other = newBroker(10, 60, 300);
    assertThat(other.epoch()).isNotEqualTo(first.epoch());
    assertThat(get(other.position("a"))).isZero();
  }

  @Test
  void concurrentAppendsToOneStreamFromTwoBrokersGetDistinctConsecutiveOffsets() throws Exception {
    Broker first = newBroker(1000, 60, 300);
    Broker second = another(client, 1000);
    List<Future<List<StreamBroadcast>>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add((i % 2 == 0 ? first : second).append(List.of(msg("a", i + "x"), msg("a", i + "y"))));
    }
    get(Future.all(calls));
    List<Long> given = new ArrayList<>();
    for (Future<List<StreamBroadcast>> call : calls) {
      List<Long> pair = offsets(call.result());
      assertThat(pair.get(1)).isEqualTo(pair.get(0) + 1);
      given.addAll(pair);
    }
    List<Long> oneTo200 = LongStream.rangeClosed(1, 200).boxed().toList();
    assertThat(given).containsExactlyInAnyOrderElementsOf(oneTo200);
    List<StreamBroadcast> history = get(first.historyFrom("a", first.epoch(), 0));
    assertThat(offsets(history)).containsExactlyElementsOf(oneTo200);
    for (Future<List<StreamBroadcast>> call : calls) {
      StreamBroadcast x = call.result().get(0);
      assertThat(history.get((int) x.getOffset() - 1)).isEqualTo(x);
    }
    assertThat(get(second.position("a"))).isEqualTo(200);
  }

  @Test
  void theEpochTheHistoryAndTheSessionsSurviveARestartOfRedisAndOfEveryBroker() throws Exception {
    try (RedisServer persistent = RedisServer.startPersistent()) {
      prefix = "test:" + UUID.randomUUID() + ":";
      Redis before = client(persistent);
      RedisBroker old = another(before, 10);
      append(old, msg("a", "1"));
      append(old, msg("a", "2"));
      get(old.commitSession("s", new byte[] {7}));
      before.close().await(20, TimeUnit.SECONDS);
      persistent.restart();
      Redis after = client(persistent);
      try {
        RedisBroker restarted = another(after, 10);
        assertThat(restarted.epoch()).isEqualTo(old.epoch());
        assertThat(data(get(restarted.historyFrom("a", old.epoch(), 0)))).containsExactly("1", "2");
        assertThat(append(restarted, msg("a", "3")).getOffset()).isEqualTo(3);
        assertThat(get(restarted.restoreSession("s"))).containsExactly(7);
      } finally {
        after.close().await(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theClientRecoversAfterARestartAndAWipedRedisGivesANewEpoch() throws Exception {
    try (RedisServer own = RedisServer.start()) {
      prefix = "test:" + UUID.randomUUID() + ":";
      Redis c = client(own);
      try {
        RedisBroker broker = another(c, 10);
        append(broker, msg("a", "1"));
        append(broker, msg("a", "2"));
        String old = broker.epoch();
        own.restart(); // no persistence: Redis comes back empty
        eventually(() -> assertThat(attempt(broker.position("a"))).isZero());
        StreamBroadcast next = append(broker, msg("a", "3"));
        assertThat(next.getOffset()).isEqualTo(1);
        assertThat(next.getEpoch()).isNotEqualTo(old).hasSize(4).isEqualTo(broker.epoch());
        assertThatThrownBy(() -> get(broker.historyFrom("a", old, 0))).hasMessageContaining("epoch");
        assertThat(data(get(broker.historyFrom("a", broker.epoch(), 0)))).containsExactly("3");
        assertThat(another(c, 10).epoch()).isEqualTo(broker.epoch());
      } finally {
        c.close().await(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void everyKeyButTheEpochAlsoExpiresInRedisLaterThanTheRulesSay() throws Exception {
    RedisBroker broker = newBroker(3, 60, 300);
    append(broker, msg("a", "1"));
    get(broker.commitSession("s", new byte[] {1}));
    assertThat(pttl(broker.positionKey("a"))).isBetween(600_000L, 660_000L);
    assertThat(pttl(broker.historyKey("a"))).isBetween(600_000L, 660_000L);
    assertThat(pttl(broker.sessionKey("s"))).isBetween(300_000L, 360_000L);
    assertThat(pttl(broker.epochKey())).isEqualTo(-1);
  }

  @Test
  void expiredMessagesAreRemovedFromRedisByTheNextAppend() throws Exception {
    RedisBroker broker = newBroker(10, 60, 300);
    append(broker, msg("a", "1"));
    append(broker, msg("a", "2"));
    now += 61_000;
    append(broker, msg("a", "3"));
    assertThat(redis.command("XLEN", broker.historyKey("a"))).isEqualTo(":1");
  }

  @Test
  void futuresCompleteOnTheCallersContext() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    Context context = vertx.getOrCreateContext();
    CompletableFuture<List<Boolean>> onContext = new CompletableFuture<>();
    context.runOnContext(v -> {
      List<Boolean> seen = new ArrayList<>();
      broker.append(List.of(msg("a", "1"))).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .compose(x -> broker.historyFrom("a", "zzzz", 0)).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .otherwiseEmpty().compose(x -> broker.position("a")).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .compose(x -> broker.restoreSession("s")).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .onComplete(ar -> onContext.complete(seen));
    });
    assertThat(onContext.get(20, TimeUnit.SECONDS)).containsExactly(true, true, true, true);
  }

  static long pttl(String key) throws Exception {
    return Long.parseLong(redis.command("PTTL", key).substring(1));
  }
}
