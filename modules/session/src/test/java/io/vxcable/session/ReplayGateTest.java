package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayGateTest {

  static StreamBroadcast m(String stream, String epoch, long offset) {
    return StreamBroadcast.newBuilder().setStream(stream).setEpoch(epoch).setOffset(offset)
        .setMessage(ByteString.copyFromUtf8("x")).build();
  }

  static byte[] frame(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> texts(List<byte[]> frames) {
    return frames.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
  }

  static ReplayGate holding(long maxBytes) {
    ReplayGate gate = new ReplayGate(maxBytes);
    gate.hold(0);
    return gate;
  }

  @Test
  void heldFramesFollowTheReplayWithoutWhatItCarried() {
    ReplayGate gate = holding(0);
    gate.hold(m("a", "e", 5), frame("a5"));
    gate.hold(m("a", "e", 6), frame("a6"));
    gate.hold(m("b", "e", 2), frame("b2"));
    gate.hold(StreamBroadcast.newBuilder().setStream("a").setTransient(true).build(), frame("whisper"));
    List<byte[]> out = gate.release(Map.of("a", new ReplayGate.Position("e", 5)));
    assertThat(texts(out)).as("a5 came with the replay; b had none; a transient message has no position")
        .containsExactly("a6", "b2", "whisper");
  }

  @Test
  void aPositionOfAnotherEpochCarriesNothing() {
    ReplayGate gate = holding(0);
    gate.hold(m("a", "new", 1), frame("a1"));
    assertThat(texts(gate.release(Map.of("a", new ReplayGate.Position("old", 9))))).containsExactly("a1");
  }

  @Test
  void aFullGateRefusesMore() {
    ReplayGate gate = holding(5);
    assertThat(gate.hold(m("a", "e", 1), frame("1234"))).isTrue();
    assertThat(gate.hold(m("a", "e", 2), frame("56"))).as("past 5 bytes").isFalse();
    assertThat(texts(gate.release(Map.of()))).containsExactly("1234");
  }

  @Test
  void afterTheReplayLiveCopiesOfWhatItSentAreDroppedUntilALaterMessage() {
    ReplayGate gate = holding(0);
    assertThat(gate.release(Map.of("a", new ReplayGate.Position("e", 9), "b", new ReplayGate.Position("e", 3)))).isEmpty();
    assertThat(gate.holding()).isFalse();
    assertThat(gate.alreadySent(m("a", "e", 9))).as("the live copy of the last replayed message, late from the bus").isTrue();
    assertThat(gate.alreadySent(m("a", "e", 10))).isFalse();
    assertThat(gate.alreadySent(m("a", "e", 9))).as("the floor went with the first later message").isFalse();
    assertThat(gate.idle()).as("b still has its floor").isFalse();
    assertThat(gate.alreadySent(m("b", "other", 1))).as("another epoch passes and clears the floor").isFalse();
    assertThat(gate.idle()).isTrue();
  }

  @Test
  void aReplayRequestedWhileARestoreWaitsHoldsUntilItIsDone() {
    ReplayGate gate = new ReplayGate(0);
    gate.hold(5_000);
    assertThat(gate.deadline()).isEqualTo(5_000);
    gate.hold(0);
    assertThat(gate.deadline()).as("no deadline while the replay runs").isZero();
    assertThat(gate.holding()).isTrue();
    gate.release(Map.of());
    assertThat(gate.idle()).as("nothing replayed: no floor").isTrue();
  }
}
