package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link Broker} contract: every backend runs these tests through a subclass. Time comes from
 * {@link #now}, which the tests move by hand.
 */
abstract class BrokerContract {

  long now = 1_700_000_000_000L;

  /** A fresh broker with its own empty state, reading the time from {@link #now}. */
  abstract Broker newBroker(int historyLimit, int historyTtlSeconds, int sessionsTtlSeconds) throws Exception;

  /** Whether the backend stores a tagged message once however often it is appended ({@link Broker#append(List, List)}). */
  boolean remembersTags() {
    return false;
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static StreamBroadcast msg(String stream, String data) {
    return StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8(data)).build();
  }

  static StreamBroadcast append(Broker b, StreamBroadcast m) throws Exception {
    return get(b.append(List.of(m))).get(0);
  }

  static List<String> data(List<StreamBroadcast> list) {
    return list.stream().map(b -> b.getMessage().toStringUtf8()).toList();
  }

  static List<Long> offsets(List<StreamBroadcast> list) {
    return list.stream().map(StreamBroadcast::getOffset).toList();
  }

  @Test
  void offsetsStartAtOnePerStreamUnderOneEpoch() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    StreamBroadcast a1 = append(broker, msg("a", "1"));
    StreamBroadcast a2 = append(broker, msg("a", "2"));
    StreamBroadcast b1 = append(broker, msg("b", "x"));
    assertThat(a1.getOffset()).isEqualTo(1);
    assertThat(a2.getOffset()).isEqualTo(2);
    assertThat(b1.getOffset()).isEqualTo(1);
    assertThat(a1.getEpoch()).isEqualTo(broker.epoch()).hasSize(4);
    assertThat(b1.getEpoch()).isEqualTo(broker.epoch());
  }

  @Test
  void aBatchOfSeveralStreamsGetsConsecutiveOffsetsPerStreamAndSkipsTransientMessages() throws Exception {
    Broker broker = newBroker(10, 60, 300);
    append(broker, msg("a", "0"));
    StreamBroadcast whisper = msg("a", "w").toBuilder().setTransient(true).build();
    List<StreamBroadcast> out = get(broker.append(List.of(msg("a", "1"), whisper, msg("b", "b1"), msg("a", "2"), msg("a", "3"),
        msg("b", "b2"))));
    assertThat(data(out)).containsExactly("1", "w", "b1", "2", "3", "b2");
    assertThat(offsets(out)).containsExactly(2L, 0L, 1L, 3L, 4L, 2L);
    assertThat(out.get(1)).isEqualTo(whisper);
    assertThat(data(get(broker.historyFrom("a", broker.epoch(), 0)))).containsExactly("0", "1", "2", "3");
    assertThat(data(get(broker.historyFrom("b", broker.epoch(), 0)))).containsExactly("b1", "b2");
  }

  @Test
  void transientMessagesAreNeitherStampedNorStored() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    StreamBroadcast t = append(broker, msg("a", "w").toBuilder().setTransient(true).build());
    assertThat(t.getEpoch()).isEmpty();
    assertThat(t.getOffset()).isZero();
    assertThat(get(broker.historySince("a", 0))).isEmpty();
  }

  @Test
  void historyKeepsEveryFieldOfTheMessage() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    StreamBroadcast sent = msg("room/1", "{\"t\":\"héllo\"}").toBuilder().setExcludeSocket("sid-9").setBroadcastType("turbo").build();
    StreamBroadcast stamped = append(broker, sent);
    assertThat(get(broker.historyFrom("room/1", broker.epoch(), 0))).containsExactly(stamped);
    assertThat(stamped.toBuilder().clearEpoch().clearOffset().build()).isEqualTo(sent);
  }

  @Test
  void historyFromAPositionReturnsLaterMessagesOnly() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    append(broker, msg("a", "1"));
    append(broker, msg("a", "2"));
    append(broker, msg("a", "3"));
    assertThat(data(get(broker.historyFrom("a", broker.epoch(), 1)))).containsExactly("2", "3");
    assertThat(get(broker.historyFrom("a", broker.epoch(), 3))).isEmpty();
  }

  @Test
  void unknownEpochsStreamsFutureAndEvictedOffsetsAreRejected() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    append(broker, msg("a", "1"));
    assertThatThrownBy(() -> get(broker.historyFrom("a", "zzzz", 0))).hasMessageContaining("epoch");
    assertThatThrownBy(() -> get(broker.historyFrom("nope", broker.epoch(), 0))).hasMessageContaining("not found");
    assertThatThrownBy(() -> get(broker.historyFrom("a", broker.epoch(), 5))).hasMessageContaining("ahead");
    for (int i = 2; i <= 6; i++) {
      append(broker, msg("a", String.valueOf(i)));
    }
    // limit 3 keeps offsets 4..6: from 3 is still complete, from 2 misses offset 3
    assertThat(offsets(get(broker.historyFrom("a", broker.epoch(), 3)))).containsExactly(4L, 5L, 6L);
    assertThatThrownBy(() -> get(broker.historyFrom("a", broker.epoch(), 2))).hasMessageContaining("evicted");
  }

  @Test
  void historySinceUsesSecondsAndTtlExpiresMessages() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    append(broker, msg("a", "old"));
    now += 30_000;
    long since = now / 1000;
    append(broker, msg("a", "new"));
    assertThat(data(get(broker.historySince("a", since)))).containsExactly("new");
    assertThat(get(broker.historySince("unknown", 0))).isEmpty();
    now += 45_000; // "old" is now 75 s old, past the 60 s TTL
    assertThat(data(get(broker.historySince("a", 0)))).containsExactly("new");
    assertThat(data(get(broker.historyFrom("a", broker.epoch(), 1)))).containsExactly("new");
    assertThatThrownBy(() -> get(broker.historyFrom("a", broker.epoch(), 0))).hasMessageContaining("evicted");
  }

  @Test
  void aStreamKeepsItsOffsetsWhileInUseAndStartsOverWhenIdleTenTtls() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    append(broker, msg("a", "1"));
    now += 61_000;
    broker.expire();
    assertThat(append(broker, msg("a", "2")).getOffset()).isEqualTo(2);
    now += 601_000;
    broker.expire();
    assertThat(get(broker.historySince("a", 0))).isEmpty();
    assertThat(append(broker, msg("a", "3")).getOffset()).isEqualTo(1);
  }

  @Test
  void aLimitOfZeroKeepsNoHistoryAndDoesNotCrash() throws Exception {
    Broker none = newBroker(0, 60, 300);
    assertThat(append(none, msg("a", "1")).getOffset()).isEqualTo(1);
    assertThat(get(none.historySince("a", 0))).isEmpty();
    assertThatThrownBy(() -> get(none.historyFrom("a", none.epoch(), 0))).hasMessageContaining("empty");
    assertThat(get(none.historyFrom("a", none.epoch(), 1))).isEmpty();
  }

  @Test
  void aStreamsPositionIsItsLastOffsetEvenOnceTheMessageIsGone() throws Exception {
    Broker broker = newBroker(2, 60, 300);
    assertThat(get(broker.position("a"))).isZero();
    append(broker, msg("a", "1"));
    append(broker, msg("a", "2"));
    append(broker, msg("a", "3"));
    append(broker, msg("a", "w").toBuilder().setTransient(true).build());
    append(broker, msg("b", "x"));
    assertThat(get(broker.position("a"))).isEqualTo(3);
    assertThat(get(broker.position("b"))).isEqualTo(1);
    assertThat(get(broker.position("unknown"))).isZero();
    now += 61_000; // every message expired; the counter stays
    broker.expire();
    assertThat(get(broker.historySince("a", 0))).isEmpty();
    assertThat(get(broker.position("a"))).isEqualTo(3);
    now += 601_000; // idle for more than 10 x history_ttl: forgotten, starts over
    broker.expire();
    assertThat(get(broker.position("a"))).isZero();
    assertThat(append(broker, msg("a", "again")).getOffset()).isEqualTo(1);
    assertThat(get(broker.position("a"))).isEqualTo(1);
  }

  @Test
  void aLimitOfZeroStillGivesPositions() throws Exception {
    Broker none = newBroker(0, 60, 300);
    append(none, msg("a", "1"));
    append(none, msg("a", "2"));
    assertThat(get(none.position("a"))).isEqualTo(2);
  }

  @Test
  void sessionSnapshotsExpireAfterTheirTtlAndCommitRefreshesIt() throws Exception {
    Broker broker = newBroker(3, 60, 300);
    byte[] state = "{\"ids\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    get(broker.commitSession("s1", state));
    now += 200_000;
    get(broker.commitSession("s1", state));
    now += 200_000;
    assertThat(get(broker.restoreSession("s1"))).isEqualTo(state);
    assertThat(get(broker.restoreSession("unknown"))).isNull();
    now += 101_000;
    assertThat(get(broker.restoreSession("s1"))).isNull();
  }

  @Test
  void aSessionsTtlOfZeroKeepsNoSnapshot() throws Exception {
    Broker noSessions = newBroker(10, 60, 0);
    get(noSessions.commitSession("s", new byte[] {1, 2}));
    assertThat(get(noSessions.restoreSession("s"))).isNull();
  }

  @Test
  void taggedMessagesAppendedAgainKeepTheirFirstOffsetsWhereTheBackendRemembersTags() throws Exception {
    Broker broker = newBroker(10, 60, 300);
    List<StreamBroadcast> batch = List.of(msg("a", "1"), msg("b", "x"), msg("a", "2"));
    List<String> tags = java.util.Arrays.asList("batch-1:0", "batch-1:1", "batch-1:2");
    List<StreamBroadcast> first = get(broker.append(batch, tags));
    assertThat(offsets(first)).containsExactly(1L, 1L, 2L);
    // A retry of part of the batch (its answer was lost), and an untagged message between them.
    List<StreamBroadcast> again = get(broker.append(List.of(msg("a", "3"), msg("a", "2"), msg("a", "1")),
        java.util.Arrays.asList(null, "batch-1:2", "batch-1:0")));
    List<StreamBroadcast> kept = get(broker.historyFrom("a", broker.epoch(), 0));
    if (remembersTags()) {
      assertThat(offsets(again)).containsExactly(3L, 2L, 1L);
      assertThat(data(kept)).containsExactly("1", "2", "3");
      assertThat(offsets(kept)).containsExactly(1L, 2L, 3L);
    } else {
      assertThat(offsets(again)).containsExactly(3L, 4L, 5L);
      assertThat(data(kept)).containsExactly("1", "2", "3", "2", "1");
    }
    assertThat(offsets(get(broker.append(List.of(msg("a", "4")), java.util.Arrays.asList("batch-2:0")))))
        .containsExactly(remembersTags() ? 4L : 6L);
  }
}
