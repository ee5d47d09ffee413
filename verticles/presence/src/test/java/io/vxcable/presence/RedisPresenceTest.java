package io.vxcable.presence;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vxcable.backends.RedisSettings;
import io.vxcable.testkit.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on the Redis backend: a private redis-server, a fresh key prefix per presence. */
class RedisPresenceTest extends PresenceContract {

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
  RedisPresence newPresence(int ttlSeconds) throws Exception {
    prefix = "test:" + UUID.randomUUID() + ":";
    return another(client);
  }

  RedisPresence another(Redis on) throws Exception {
    return get(RedisPresence.start(vertx, on, prefix, TTL, () -> now));
  }

  /** The future's result, as an assertion failure when it fails or takes long (for {@code eventually}). */
  static <T> T attempt(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not yet: " + e, e);
    }
  }

  /** The keys under this test's prefix. */
  List<String> keys() throws Exception {
    Response r = get(client.send(Request.cmd(Command.KEYS).arg(prefix + "*")));
    List<String> out = new ArrayList<>();
    r.forEach(k -> out.add(k.toString()));
    return out;
  }

  @Test
  void presencesOnOneRedisShareStreamsSessionsAndTouches() throws Exception {
    Presence first = newPresence(TTL);
    Presence second = another(client);
    assertThat(get(first.join("room", "s1", "alice", info("{\"v\":1}")))).isNotNull();
    assertThat(get(second.join("room", "s2", "alice", info("{\"v\":2}")))).isNull();
    assertThat(infos(get(first.info("room")))).containsExactly("{\"v\":2}");
    now += 10_000;
    get(second.touch(List.of("s1", "s2")));
    now += 10_000;
    assertThat(get(first.expire())).isEmpty();
    assertThat(get(second.leave("room", "s1"))).isNull();
    assertThat(get(first.leave("room", "s2"))).isEqualTo(new PresenceEvent("room", "leave", "alice", ""));
  }

  @Test
  void concurrentSweepsOfTwoPresencesGiveEachLeaveOnce() throws Exception {
    Presence first = newPresence(TTL);
    Presence second = another(client);
    Set<PresenceEvent> expected = new HashSet<>();
    // More streams than one sweep script takes, so sweeps take several rounds.
    for (int chunk = 0; chunk < 6; chunk++) {
      List<Future<PresenceEvent>> joins = new ArrayList<>();
      for (int i = chunk * 100; i < (chunk + 1) * 100; i++) {
        String stream = "room/" + i;
        Presence via = i % 2 == 0 ? first : second;
        joins.add(via.join(stream, "a" + i, "alice", info("")));
        joins.add(via.join(stream, "b" + i, "alice", info("")));
        joins.add(via.join(stream, "c" + i, "bob", info("")));
        expected.add(new PresenceEvent(stream, "leave", "alice", ""));
        expected.add(new PresenceEvent(stream, "leave", "bob", ""));
      }
      get(Future.all(joins));
    }
    now += TTL * 1000L + 1;
    List<Future<List<PresenceEvent>>> sweeps = List.of(first.expire(), second.expire(), first.expire(), second.expire());
    get(Future.all(sweeps));
    List<PresenceEvent> events = new ArrayList<>();
    sweeps.forEach(s -> events.addAll(s.result()));
    assertThat(events).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(get(first.expire())).isEmpty();
    assertThat(get(second.info("room/7"))).isEmpty();
  }

  @Test
  void nothingIsKeptForTheDepartedButExpiringLinks() throws Exception {
    RedisPresence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("{}")));
    get(p.join("lobby", "s1", "alice", info("")));
    get(p.join("room", "s2", "bob", info("")));
    get(p.leave("room", "s1"));
    get(p.leave("lobby", "s1"));
    get(p.leave("room", "s2"));
    assertThat(keys()).isEmpty();
    get(p.join("room", "s1", "alice", info("")));
    now += 16_000;
    assertThat(get(p.expire())).hasSize(1);
    assertThat(keys()).containsExactly(p.linksKey("s1"));
    assertThat(redis.command("PTTL", p.linksKey("s1"))).matches(":\\d+");
  }

  @Test
  void theClientRecoversAfterARestartOfRedis() throws Exception {
    try (RedisServer own = RedisServer.start()) {
      prefix = "test:" + UUID.randomUUID() + ":";
      Redis c = client(own);
      try {
        Presence p = another(c);
        assertThat(get(p.join("room", "s1", "alice", info("")))).isNotNull();
        own.restart(); // no persistence: Redis comes back empty
        eventually(() -> assertThat(attempt(p.info("room"))).isEmpty());
        assertThat(get(p.join("room", "s1", "alice", info("")))).isNotNull();
        assertThat(ids(get(p.info("room")))).containsExactly("alice");
      } finally {
        c.close().await(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void futuresCompleteOnTheCallersContext() throws Exception {
    Presence p = newPresence(TTL);
    Context context = vertx.getOrCreateContext();
    CompletableFuture<List<Boolean>> onContext = new CompletableFuture<>();
    context.runOnContext(v -> {
      List<Boolean> seen = new ArrayList<>();
      p.join("room", "s1", "alice", info("")).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .compose(x -> p.join("room", "s1", "bob", info(""))).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .otherwiseEmpty().compose(x -> p.touch(List.of("s1"))).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .compose(x -> p.info("room")).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .compose(x -> p.expire()).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .compose(x -> p.leave("room", "s1")).onComplete(ar -> seen.add(Vertx.currentContext() == context))
          .onComplete(ar -> onContext.complete(seen));
    });
    assertThat(onContext.get(20, TimeUnit.SECONDS)).containsExactly(true, true, true, true, true, true);
  }
}
