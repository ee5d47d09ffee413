package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest {

  long now = 1_700_000_000_000L;
  final MemoryBroker broker = new MemoryBroker(3, 60, 300, () -> now);

  StreamBroadcast msg(String stream, String data) {
    return StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8(data)).build();
  }

  static List<String> data(List<StreamBroadcast> list) {
    return list.stream().map(b -> b.getMessage().toStringUtf8()).toList();
  }

  @Test
  void offsetsStartAtOnePerStreamUnderOneEpoch() {
    StreamBroadcast a1 = broker.append(msg("a", "1"));
    StreamBroadcast a2 = broker.append(msg("a", "2"));
    StreamBroadcast b1 = broker.append(msg("b", "x"));
    assertThat(a1.getOffset()).isEqualTo(1);
    assertThat(a2.getOffset()).isEqualTo(2);
    assertThat(b1.getOffset()).isEqualTo(1);
    assertThat(a1.getEpoch()).isEqualTo(broker.epoch()).hasSize(4);
  }

  @Test
  void transientMessagesAreNeitherStampedNorStored() {
    StreamBroadcast t = broker.append(msg("a", "w").toBuilder().setTransient(true).build());
    assertThat(t.getEpoch()).isEmpty();
    assertThat(t.getOffset()).isZero();
    assertThat(broker.historySince("a", 0)).isEmpty();
  }

  @Test
  void historyFromAPositionReturnsLaterMessagesOnly() throws Exception {
    broker.append(msg("a", "1"));
    broker.append(msg("a", "2"));
    broker.append(msg("a", "3"));
    assertThat(data(broker.historyFrom("a", broker.epoch(), 1))).containsExactly("2", "3");
    assertThat(broker.historyFrom("a", broker.epoch(), 3)).isEmpty();
  }

  @Test
  void unknownEpochsStreamsFutureAndEvictedOffsetsAreRejected() throws Exception {
    broker.append(msg("a", "1"));
    assertThatThrownBy(() -> broker.historyFrom("a", "zzzz", 0)).hasMessageContaining("epoch");
    assertThatThrownBy(() -> broker.historyFrom("nope", broker.epoch(), 0)).hasMessageContaining("not found");
    assertThatThrownBy(() -> broker.historyFrom("a", broker.epoch(), 5)).hasMessageContaining("ahead");
    for (int i = 2; i <= 6; i++) {
      broker.append(msg("a", String.valueOf(i)));
    }
    // limit 3 keeps offsets 4..6: from 3 is still complete, from 2 misses offset 3
    assertThat(broker.historyFrom("a", broker.epoch(), 3).stream().map(StreamBroadcast::getOffset)).containsExactly(4L, 5L, 6L);
    assertThatThrownBy(() -> broker.historyFrom("a", broker.epoch(), 2)).hasMessageContaining("evicted");
  }

  @Test
  void historySinceUsesSecondsAndTtlExpiresMessages() {
    broker.append(msg("a", "old"));
    now += 30_000;
    long since = now / 1000;
    broker.append(msg("a", "new"));
    assertThat(data(broker.historySince("a", since))).containsExactly("new");
    assertThat(broker.historySince("unknown", 0)).isEmpty();
    now += 45_000; // "old" is now 75 s old, past the 60 s TTL
    assertThat(data(broker.historySince("a", 0))).containsExactly("new");
  }

  @Test
  void aStreamKeepsItsOffsetsWhileInUseAndIsForgottenLater() {
    broker.append(msg("a", "1"));
    now += 61_000;
    broker.expire();
    assertThat(broker.append(msg("a", "2")).getOffset()).isEqualTo(2);
    now += 601_000;
    broker.expire();
    assertThat(broker.streamCount()).isZero();
  }

  @Test
  void aLimitOfZeroKeepsNoHistoryAndDoesNotCrash() {
    MemoryBroker none = new MemoryBroker(0, 60, 300, () -> now);
    assertThat(none.append(msg("a", "1")).getOffset()).isEqualTo(1);
    assertThat(none.historySince("a", 0)).isEmpty();
    assertThatThrownBy(() -> none.historyFrom("a", none.epoch(), 0)).hasMessageContaining("empty");
  }

  @Test
  void sessionSnapshotsExpireAfterTheirTtlAndCommitRefreshesIt() {
    byte[] state = "{\"ids\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    broker.commitSession("s1", state);
    now += 200_000;
    broker.commitSession("s1", state);
    now += 200_000;
    assertThat(broker.restoreSession("s1")).isEqualTo(state);
    now += 101_000;
    assertThat(broker.restoreSession("s1")).isNull();
    broker.expire();
    assertThat(broker.sessionCount()).isZero();
    MemoryBroker noSessions = new MemoryBroker(10, 60, 0, () -> now);
    noSessions.commitSession("s", state);
    assertThat(noSessions.restoreSession("s")).isNull();
  }
}
