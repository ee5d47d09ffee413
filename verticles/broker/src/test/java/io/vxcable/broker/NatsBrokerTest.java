package io.vxcable.broker;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.backends.NatsSettings;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.NatsServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on the NATS backend: a private nats-server with JetStream, a fresh name prefix per broker. */
class NatsBrokerTest extends BrokerContract {

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
    return Nats.connect(new NatsSettings(List.of(nats.url()), false).options("nats-broker-test", null));
  }

  String prefix;

  @Override
  boolean remembersTags() {
    return true;
  }

  @Override
  NatsBroker newBroker(int historyLimit, int historyTtlSeconds, int sessionsTtlSeconds) throws Exception {
    prefix = "t" + UUID.randomUUID().toString().replace("-", "");
    return get(NatsBroker.start(vertx, connection, prefix, historyLimit, historyTtlSeconds, sessionsTtlSeconds, () -> now));
  }

  NatsBroker another(Connection c) throws Exception {
    return get(NatsBroker.start(vertx, c, prefix, 1000, 60, 300, () -> now));
  }

  /** Retries a check that may fail with an exception while NATS comes back. */
  static void eventuallyOk(ThrowingRunnable check) {
    eventually(() -> {
      try {
        check.run();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void brokersOnOneNatsShareTheEpochTheOffsetsAndTheSessions() throws Exception {
    Broker first = newBroker(1000, 60, 300);
    Connection other = connect();
    try {
      Broker second = another(other);
      assertThat(second.epoch()).isEqualTo(first.epoch());
      append(first, msg("a", "1"));
      assertThat(append(second, msg("a", "2")).getOffset()).isEqualTo(2);
      assertThat(append(first, msg("a", "3")).getOffset()).isEqualTo(3);
      assertThat(data(get(second.historyFrom("a", first.epoch(), 0)))).containsExactly("1", "2", "3");
      assertThat(get(second.position("a"))).isEqualTo(3);
      get(second.commitSession("s", new byte[] {7}));
      assertThat(get(first.restoreSession("s"))).containsExactly(7);
    } finally {
      other.close();
    }
  }

  @Test
  void historyEpochAndSessionsSurviveARestartOfNatsAndANewBroker() throws Exception {
    Broker before = newBroker(1000, 60, 300);
    append(before, msg("room", "1"));
    append(before, msg("room", "2"));
    get(before.commitSession("s", new byte[] {4, 2}));
    nats.restart();
    eventually(() -> assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED));
    List<Broker> after = new ArrayList<>();
    eventuallyOk(() -> after.add(0, another(connection)));
    assertThat(after.get(0).epoch()).isEqualTo(before.epoch());
    eventuallyOk(() -> assertThat(data(get(after.get(0).historyFrom("room", before.epoch(), 0)))).containsExactly("1", "2"));
    assertThat(get(after.get(0).restoreSession("s"))).containsExactly(4, 2);
    assertThat(append(after.get(0), msg("room", "3")).getOffset()).isEqualTo(3);
  }

  @Test
  void concurrentAppendsFromTwoBrokersGetDistinctConsecutiveOffsetsInEachCallsOrder() throws Exception {
    Broker first = newBroker(1000, 60, 300);
    Connection other = connect();
    try {
      Broker second = another(other);
      List<Future<List<StreamBroadcast>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        for (Broker b : List.of(first, second)) {
          calls.add(b.append(List.of(msg("busy", i + "a"), msg("other", "x"), msg("busy", i + "b"))));
        }
      }
      get(Future.all(calls));
      List<Long> all = new ArrayList<>();
      for (Future<List<StreamBroadcast>> call : calls) {
        List<StreamBroadcast> out = call.result();
        assertThat(out.get(0).getOffset()).isLessThan(out.get(2).getOffset());
        all.add(out.get(0).getOffset());
        all.add(out.get(2).getOffset());
      }
      assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
      assertThat(offsets(get(first.historyFrom("busy", first.epoch(), 0)))).isEqualTo(LongStream.rangeClosed(1, 200).boxed().toList());
      assertThat(get(second.position("other"))).isEqualTo(100);
    } finally {
      other.close();
    }
  }

  @Test
  void anyStreamNameWorksAndNamesDoNotMix() throws Exception {
    Broker broker = newBroker(10, 60, 300);
    List<String> names = List.of("with space", "a.b.c", "a_b_c", "*", ">", "a.*.>", "日本語 🎉", "", "x".repeat(500),
        "x".repeat(499) + "y", "tab\there/slash\\");
    for (String name : names) {
      append(broker, msg(name, name + "-1"));
      append(broker, msg(name, name + "-2"));
    }
    for (String name : names) {
      assertThat(data(get(broker.historyFrom(name, broker.epoch(), 0)))).containsExactly(name + "-1", name + "-2");
      assertThat(get(broker.historySince(name, 0))).extracting(StreamBroadcast::getStream).containsOnly(name);
      assertThat(get(broker.position(name))).isEqualTo(2);
    }
  }

  @Test
  void theLayoutIsOneJetStreamStreamPerStreamUnderThePrefix() throws Exception {
    Broker broker = newBroker(7, 60, 300);
    append(broker, msg("room 1", "x"));
    JetStreamManagement jsm = connection.jetStreamManagement();
    StreamConfiguration config = jsm.getStreamInfo(prefix + "_ac_" + NatsNames.token("room 1")).getConfiguration();
    assertThat(config.getSubjects()).containsExactly(prefix + "_ac." + NatsNames.token("room 1"));
    assertThat(config.getMaxMsgs()).isEqualTo(7);
    assertThat(config.getReplicas()).isEqualTo(1);
    assertThat(connection.keyValueManagement().getBucketNames()).contains(prefix + "_anycable_", prefix + "_anycable_epoch_");
    assertThat(connection.keyValue(prefix + "_anycable_epoch_").get("_epoch_").getValueAsString()).isEqualTo(broker.epoch());
  }

  @Test
  void theSweepDeletesStreamsJetStreamEmptiedAndTheirOffsetsStartOver() throws Exception {
    NatsBroker broker = newBroker(10, 60, 300);
    append(broker, msg("gone", "1"));
    append(broker, msg("gone", "2"));
    append(broker, msg("kept", "1"));
    // What JetStream's MaxAge does to a stream idle for longer than its lifetime.
    connection.jetStreamManagement().purgeStream(prefix + "_ac_" + NatsNames.token("gone"));
    assertThat(get(broker.position("gone"))).isZero();
    assertThatThrownBy(() -> get(broker.historyFrom("gone", broker.epoch(), 0))).hasMessageContaining("not found");
    assertThat(get(broker.sweep())).isEqualTo(1);
    assertThat(connection.jetStreamManagement().getStreamNames(prefix + "_ac.*"))
        .containsExactly(prefix + "_ac_" + NatsNames.token("kept"));
    assertThat(append(broker, msg("gone", "again")).getOffset()).isEqualTo(1);
    assertThat(append(broker, msg("kept", "2")).getOffset()).isEqualTo(2);
  }

  @Test
  void anotherNodesResetOfAStreamIsNoticedByThePublisher() throws Exception {
    Broker broker = newBroker(10, 60, 300);
    append(broker, msg("a", "1"));
    connection.jetStreamManagement().deleteStream(prefix + "_ac_" + NatsNames.token("a"));
    assertThat(append(broker, msg("a", "2")).getOffset()).isEqualTo(1);
    assertThat(data(get(broker.historyFrom("a", broker.epoch(), 0)))).containsExactly("2");
  }

  @Test
  void aPrefixThatIsNoValidNameIsRefused() {
    assertThatThrownBy(() -> get(NatsBroker.start(vertx, connection, "a.b", 1, 1, 1, () -> now)))
        .hasMessageContaining("prefix");
  }
}
