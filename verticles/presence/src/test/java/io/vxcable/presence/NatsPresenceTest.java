package io.vxcable.presence;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.backends.NatsSettings;
import io.vxcable.testkit.NatsServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on the NATS backend: a private nats-server with JetStream, a fresh name prefix per presence. */
class NatsPresenceTest extends PresenceContract {

  static NatsServer nats;
  static Vertx vertx;
  static Connection connection;

  @BeforeAll
  static void server() throws Exception {
    nats = NatsServer.startJetStream();
    vertx = Vertx.vertx();
    connection = connect();
  }

  @AfterAll
  static void shutdown() throws Exception {
    connection.close();
    vertx.close().await(20, TimeUnit.SECONDS);
    nats.close();
  }

  static Connection connect() throws Exception {
    return Nats.connect(new NatsSettings(List.of(nats.url()), false).options("nats-presence-test", null));
  }

  String prefix;

  @Override
  NatsPresence newPresence(int ttlSeconds) throws Exception {
    prefix = "t" + UUID.randomUUID().toString().replace("-", "");
    return get(NatsPresence.start(vertx, connection, prefix, ttlSeconds, () -> now));
  }

  NatsPresence another(Connection c) throws Exception {
    return get(NatsPresence.start(vertx, c, prefix, TTL, () -> now));
  }

  @Test
  void presencesOnOneNatsShareTheStreamsAndEachEventHappensOnce() throws Exception {
    NatsPresence first = newPresence(TTL);
    Connection other = connect();
    try {
      NatsPresence second = another(other);
      assertThat(get(first.join("room", "s1", "alice", info("{\"v\":1}")))).isNotNull();
      assertThat(get(second.join("room", "s2", "alice", info("{\"v\":2}")))).isNull();
      assertThat(get(second.join("room", "s3", "bob", info("")))).isNotNull();
      assertThat(ids(get(first.info("room")))).containsExactly("alice", "bob");
      assertThat(infos(get(first.info("room")))).containsExactly("{\"v\":2}", "");
      assertThatThrownBy(() -> get(second.join("room", "s1", "carol", info("")))).hasMessageContaining("mismatch");
      assertThat(get(second.leave("room", "s1"))).isNull();
      assertThat(get(first.leave("room", "s2"))).isEqualTo(new PresenceEvent("room", "leave", "alice", ""));
    } finally {
      other.close();
    }
  }

  @Test
  void aTouchOnAnotherNodeReachesEveryStreamOfTheSession() throws Exception {
    NatsPresence first = newPresence(TTL);
    Connection other = connect();
    try {
      NatsPresence second = another(other);
      get(first.join("room", "s1", "alice", info("")));
      get(first.join("lobby", "s1", "alice", info("")));
      get(first.join("room", "s2", "bob", info("")));
      eventually(() -> assertThat(second.mirrored()).isEqualTo(2));
      now += 10_000;
      get(second.touch(List.of("s1")));
      now += 10_000;
      assertThat(get(second.expire())).containsExactly(new PresenceEvent("room", "leave", "bob", ""));
      assertThat(get(first.expire())).isEmpty();
      assertThat(ids(get(first.info("lobby")))).containsExactly("alice");
    } finally {
      other.close();
    }
  }

  @Test
  void concurrentSweepsOfTwoPresencesGiveEachLeaveOnce() throws Exception {
    NatsPresence first = newPresence(TTL);
    Connection other = connect();
    try {
      NatsPresence second = another(other);
      List<Future<PresenceEvent>> joins = new ArrayList<>();
      for (int stream = 0; stream < 10; stream++) {
        for (int user = 0; user < 5; user++) {
          NatsPresence via = user % 2 == 0 ? first : second;
          joins.add(via.join("room" + stream, "s" + stream + "-" + user, "user" + user, info("")));
          joins.add(via.join("room" + stream, "t" + stream + "-" + user, "user" + user, info("")));
        }
      }
      get(Future.all(joins));
      eventually(() -> assertThat(first.mirrored()).isEqualTo(10));
      eventually(() -> assertThat(second.mirrored()).isEqualTo(10));
      now += TTL * 1000L + 1;
      Future<List<PresenceEvent>> a = first.expire();
      Future<List<PresenceEvent>> b = second.expire();
      get(Future.all(a, b));
      List<PresenceEvent> events = new ArrayList<>(a.result());
      events.addAll(b.result());
      List<PresenceEvent> expected = new ArrayList<>();
      for (int stream = 0; stream < 10; stream++) {
        for (int user = 0; user < 5; user++) {
          expected.add(new PresenceEvent("room" + stream, "leave", "user" + user, ""));
        }
      }
      assertThat(events).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(get(first.expire())).isEmpty();
      assertThat(get(second.info("room3"))).isEmpty();
      eventually(() -> assertThat(second.mirrored()).isZero());
    } finally {
      other.close();
    }
  }

  @Test
  void anyStreamNameWorksAndNamesDoNotMix() throws Exception {
    NatsPresence p = newPresence(TTL);
    List<String> names = List.of("with space", "a.b.c", "a_b_c", "*", ">", "a.*.>", "日本語 🎉", "", "x".repeat(500),
        "x".repeat(499) + "y");
    for (String name : names) {
      assertThat(get(p.join(name, "s1", "id:" + name, info("")))).isNotNull();
    }
    for (String name : names) {
      assertThat(ids(get(p.info(name)))).containsExactly("id:" + name);
    }
    now += TTL * 1000L + 1;
    assertThat(get(p.expire())).extracting(PresenceEvent::stream).containsExactlyInAnyOrderElementsOf(names);
  }

  @Test
  void aNewPresenceFindsWhatIsAlreadyThere() throws Exception {
    NatsPresence first = newPresence(TTL);
    get(first.join("room", "s1", "alice", info("")));
    get(first.close());
    NatsPresence later = another(connection);
    assertThat(later.mirrored()).isEqualTo(1);
    now += TTL * 1000L + 1;
    assertThat(get(later.expire())).containsExactly(new PresenceEvent("room", "leave", "alice", ""));
  }

  @Test
  void aPrefixThatIsNoValidNameIsRefused() {
    assertThatThrownBy(() -> get(NatsPresence.start(vertx, connection, "a b", TTL, () -> now))).hasMessageContaining("prefix");
  }
}
