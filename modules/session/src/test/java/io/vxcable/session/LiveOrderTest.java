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
  private final LiveOrder order = new LiveOrder(m -> {
    delivered.add(m.getEpoch() + ":" + m.getOffset() + ":" + m.getMessage().toStringUtf8());
    return subscribed;
  }, (stream, epoch, offset) -> {
    reads.add(stream + "@" + epoch + ":" + offset);
    Promise<List<StreamBroadcast>> answer = Promise.promise();
    answers.add(answer);
    return answer.future();
  }, () -> now);

  private static StreamBroadcast stamped(String epoch, long offset) {
    return StreamBroadcast.newBuilder().setStream("s").setEpoch(epoch).setOffset(offset)
        .setMessage(ByteString.copyFromUtf8("m" + offset)).build();
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
