package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Live broadcasts reach the hub once each, in offset order, a hole filled from history. */
class LiveOrderTest {

  private final List<String> delivered = new ArrayList<>();
  private final List<String> reads = new ArrayList<>();
  private final List<Promise<List<StreamBroadcast>>> answers = new ArrayList<>();
  private boolean subscribed = true;
  private long now = 1_000;
  private final List<Runnable> scheduled = new ArrayList<>();
  private final LiveOrder order = new LiveOrder(m -> {
    delivered.add(m.getEpoch() + ":" + m.getOffset() + ":" + m.getMessage().toStringUtf8());
    return subscribed;
  }, (stream, epoch, offset) -> {
    reads.add(stream + "@" + epoch + ":" + offset);
    Promise<List<StreamBroadcast>> answer = Promise.promise();
    answers.add(answer);
    return answer.future();
  }, () -> now, (ms, task) -> scheduled.add(task));

  private static StreamBroadcast stamped(String epoch, long offset) {
    return StreamBroadcast.newBuilder().setStream("s").setEpoch(epoch).setOffset(offset)
        .setMessage(ByteString.copyFromUtf8("m" + offset)).build();
  }

  private static StreamBroadcast on(String stream, long offset) {
    return StreamBroadcast.newBuilder().setStream(stream).setEpoch("e").setOffset(offset)
        .setMessage(ByteString.copyFromUtf8(stream + "-m" + offset)).build();
  }

  @Test
  void aResyncSendsWhatCameAfterTheLastOffsetOfEveryStreamAFewReadsAtATime() {
    int streams = LiveOrder.RESYNC_READS + 2;
    for (int i = 0; i < streams; i++) {
      order.accept(on("s" + i, 1));
    }
    delivered.clear();
    order.resync(stream -> true);
    assertThat(reads).as("reads in flight at once").hasSize(LiveOrder.RESYNC_READS);
    // s0's last broadcast never arrived live (nothing came after it to show the hole); the history has it.
    for (int i = 0; i < answers.size(); i++) {
      String stream = reads.get(i).substring(0, reads.get(i).indexOf('@'));
      answers.get(i).complete(stream.equals("s0") ? List.of(on("s0", 2)) : List.of());
    }
    assertThat(reads).as("every stream read once, from its last offset").hasSize(streams)
        .allMatch(r -> r.endsWith("@e:1")).doesNotHaveDuplicates();
    assertThat(delivered).containsExactly("e:2:s0-m2");
    assertThat(order.filled).isEqualTo(1);
    // Its live copy, had it only been late, is a repeat now.
    order.accept(on("s0", 2));
    assertThat(delivered).containsExactly("e:2:s0-m2");
    assertThat(order.repeats).isEqualTo(1);
    // A hole that opens while a resync's read is out gets a read of its own, not a give-up.
    reads.clear();
    answers.clear();
    order.resync(stream -> stream.equals("s1"));
    order.accept(on("s1", 3));
    answers.get(0).fail("not there yet");
    assertThat(reads).containsExactly("s1@e:1", "s1@e:1");
    answers.get(1).complete(List.of(on("s1", 2), on("s1", 3)));
    assertThat(delivered).endsWith("e:2:s1-m2", "e:3:s1-m3");
    assertThat(order.lost()).isZero();
    // A resync for some streams reads only those.
    reads.clear();
    order.resync(stream -> stream.equals("s2"));
    assertThat(reads).containsExactly("s2@e:1");
  }

  @Test
  void aBrokersHeadsReadOnlyTheStreamsBehindThem() {
    order.accept(on("behind", 1));
    order.accept(on("current", 3));
    order.accept(on("reborn", 1));
    delivered.clear();
    order.catchUp(java.util.Map.of(
        "behind", java.util.Map.entry("e", 2L),
        "current", java.util.Map.entry("e", 3L),
        "reborn", java.util.Map.entry("another-epoch", 5L),
        "unknown", java.util.Map.entry("e", 9L)));
    assertThat(reads).containsExactly("behind@e:1");
    answers.get(0).complete(List.of(on("behind", 2)));
    assertThat(delivered).containsExactly("e:2:behind-m2");
    assertThat(order.filled).isEqualTo(1);
    // Its live copy, had it only been slow, is a repeat now; the same heads again read nothing.
    order.accept(on("behind", 2));
    order.catchUp(java.util.Map.of("behind", java.util.Map.entry("e", 2L)));
    assertThat(delivered).hasSize(1);
    assertThat(reads).hasSize(1);
  }

  @Test
  void inOrderBroadcastsPassAndRepeatsAreDropped() {
    order.accept(stamped("e", 1));
    order.accept(stamped("e", 2));
    order.accept(stamped("e", 2));
    order.accept(StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8("whisper")).build());
    order.accept(stamped("e", 3));
    assertThat(delivered).containsExactly("e:1:m1", "e:2:m2", ":0:whisper", "e:3:m3");
    assertThat(reads).isEmpty();
    assertThat(order.repeats).isEqualTo(1);
  }

  /** Publishers posting to two nodes: this node sees offset 2 (posted here) before 1 (relayed from the other). */
  @Test
  void anEarlierBroadcastOvertakenByTheFirstOneSeenGoesOutOnce() {
    order.accept(stamped("e", 2));
    order.accept(stamped("e", 1));
    order.accept(stamped("e", 1));
    order.accept(stamped("e", 3));
    assertThat(delivered).containsExactly("e:2:m2", "e:1:m1", "e:3:m3");
    assertThat(order.overtaken).isEqualTo(1);
    assertThat(order.repeats).as("the second copy of 1").isEqualTo(1);
    assertThat(reads).as("no hole: 1 came before the track started").isEmpty();
  }

  @Test
  void aHoleIsFilledFromHistoryBeforeWhatWasHeld() {
    order.accept(stamped("e", 1));
    order.accept(stamped("e", 3));
    assertThat(delivered).containsExactly("e:1:m1");
    assertThat(reads).containsExactly("s@e:1");
    answers.get(0).complete(List.of(stamped("e", 2), stamped("e", 3)));
    order.accept(stamped("e", 4));
    order.accept(stamped("e", 2));
    assertThat(delivered).containsExactly("e:1:m1", "e:2:m2", "e:3:m3", "e:4:m4");
    assertThat(order.filled).isEqualTo(1);
    assertThat(order.lost()).isZero();
  }

  @Test
  void aLiveCopyThatWasOnlyLateFillsTheHoleItself() {
    order.accept(stamped("e", 1));
    order.accept(stamped("e", 3));
    order.accept(stamped("e", 2));
    assertThat(delivered).containsExactly("e:1:m1", "e:2:m2", "e:3:m3");
    // The history read asked meanwhile answers with what was sent and one more: only that one goes.
    answers.get(0).complete(List.of(stamped("e", 2), stamped("e", 3), stamped("e", 4)));
    order.accept(stamped("e", 4));
    assertThat(delivered).containsExactly("e:1:m1", "e:2:m2", "e:3:m3", "e:4:m4");
  }

  @Test
  void whatHistoryCannotFillGoesOutAnyway() {
    order.accept(stamped("e", 1));
    order.accept(stamped("e", 3));
    order.accept(stamped("e", 4));
    assertThat(reads).hasSize(1);
    answers.get(0).fail("unknown epoch");
    // Read once more a little later, then given up on.
    assertThat(delivered).containsExactly("e:1:m1");
    assertThat(scheduled).hasSize(1);
    scheduled.remove(0).run();
    assertThat(reads).hasSize(2);
    answers.get(1).fail("unknown epoch");
    assertThat(delivered).containsExactly("e:1:m1", "e:3:m3", "e:4:m4");
    assertThat(order.lost()).isEqualTo(1);
    order.accept(stamped("e", 5));
    assertThat(delivered).endsWith("e:5:m5");
    // The hole's copy was only late: out of order rather than never, and once.
    order.accept(stamped("e", 2));
    order.accept(stamped("e", 2));
    assertThat(delivered).containsExactly("e:1:m1", "e:3:m3", "e:4:m4", "e:5:m5", "e:2:m2");
    assertThat(order.lost()).isZero();
    // The metrics' counters only grow: one offset given up on, the same one late, one repeat.
    assertThat(order.gaveUp).isEqualTo(1);
    assertThat(order.late).isEqualTo(1);
    assertThat(order.repeats).isEqualTo(1);
  }

  /** Two publishers appending through a shared broker: the hole's append was not readable yet, its live copy comes. */
  @Test
  void aHoleNotInHistoryYetWaitsForItsLateCopy() {
    order.accept(stamped("e", 1));
    order.accept(stamped("e", 3));
    answers.get(0).complete(List.of());
    order.accept(stamped("e", 2));
    assertThat(delivered).containsExactly("e:1:m1", "e:2:m2", "e:3:m3");
    scheduled.remove(0).run();
    assertThat(reads).as("nothing left to read").hasSize(1);
    assertThat(order.lost()).isZero();
    assertThat(order.gaveUp).isZero();
  }

  @Test
  void aNewEpochStartsOverAndAStreamWithoutSubscribersIsForgotten() {
    order.accept(stamped("e", 7));
    order.accept(stamped("f", 1));
    assertThat(delivered).containsExactly("e:7:m7", "f:1:m1");
    assertThat(order.tracked()).isEqualTo(1);
    subscribed = false;
    order.accept(stamped("f", 2));
    assertThat(order.tracked()).isZero();
    subscribed = true;
    order.accept(stamped("f", 9));
    assertThat(order.tracked()).isEqualTo(1);
    order.retain(stream -> false);
    assertThat(order.tracked()).isZero();
    assertThat(delivered).endsWith("f:9:m9");
    assertThat(reads).isEmpty();
  }

  /** Brokers restart the offsets of a stream idle for ten times the history TTL (at least 10 s). */
  @Test
  void aStreamThatStartedOverIsFollowed() {
    order.accept(stamped("e", 41));
    order.accept(stamped("e", 42));
    now += 1_000;
    order.accept(stamped("e", 42));
    now += LiveOrder.REPEAT_WINDOW_MS;
    order.accept(stamped("e", 1));
    order.accept(stamped("e", 2));
    assertThat(delivered).containsExactly("e:41:m41", "e:42:m42", "e:1:m1", "e:2:m2");
    assertThat(order.repeats).isEqualTo(1);
    assertThat(reads).isEmpty();
  }

  @Test
  void heldBroadcastsAreBounded() {
    order.accept(stamped("e", 1));
    for (long o = 3; o <= LiveOrder.MAX_HELD + 3; o++) {
      order.accept(stamped("e", o));
    }
    assertThat(delivered).hasSize(LiveOrder.MAX_HELD + 2);
    assertThat(order.lost()).isEqualTo(1);
    Future<List<StreamBroadcast>> late = answers.get(0).future();
    answers.get(0).complete(List.of(stamped("e", 2)));
    assertThat(late.succeeded()).isTrue();
    assertThat(delivered).hasSize(LiveOrder.MAX_HELD + 2);
  }
}
