package io.vxcable.session.ds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.session.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A live read in a real hub: what arrives before its position is known, and after. */
class DsLiveReaderTest {

  Vertx vertx;
  Hub hub;
  final List<Long> got = new ArrayList<>();

  @BeforeEach
  void hub() {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    Hub[] self = new Hub[1];
    hub = new Hub(vertx.eventBus(), b -> self[0].broadcast(b));
    self[0] = hub;
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static StreamBroadcast msg(String epoch, long offset) {
    return StreamBroadcast.newBuilder().setStream("room").setEpoch(epoch).setOffset(offset)
        .setMessage(ByteString.copyFromUtf8(String.valueOf(offset))).build();
  }

  LiveReader listening() throws Exception {
    LiveReader r = new LiveReader(hub, "sid-1", "room");
    r.listen().await(10, TimeUnit.SECONDS);
    return r;
  }

  @Test
  void messagesAfterTheBacklogsPositionArePassedOnInOrderOnce() throws Exception {
    LiveReader r = listening();
    hub.broadcast(msg("e", 2));
    hub.broadcast(msg("e", 3));
    hub.broadcast(msg("", 0)); // a whisper: no position
    assertThat(r.from("e", 2, b -> got.add(b.getOffset()))).isTrue();
    assertThat(got).containsExactly(3L);
    hub.broadcast(msg("e", 3)); // a copy of what was passed on
    hub.broadcast(msg("e", 4));
    hub.broadcast(msg("f", 1)); // the broker started over
    assertThat(got).containsExactly(3L, 4L, 1L);
  }

  @Test
  void aReaderAtTheStartTakesEveryStampedMessage() throws Exception {
    LiveReader r = listening();
    r.from("", 0, b -> got.add(b.getOffset()));
    hub.broadcast(msg("e", 1));
    hub.broadcast(msg("e", 2));
    assertThat(got).containsExactly(1L, 2L);
  }

  @Test
  void tooManyEarlyMessagesAreReportedAfterThoseKept() throws Exception {
    LiveReader r = listening();
    for (int i = 1; i <= LiveReader.MAX_EARLY + 5; i++) {
      hub.broadcast(msg("e", i));
    }
    assertThat(r.from("e", 0, b -> got.add(b.getOffset()))).isFalse();
    assertThat(got).hasSize(LiveReader.MAX_EARLY).endsWith((long) LiveReader.MAX_EARLY);
  }

  @Test
  void aStoppedReaderLeavesTheHubAndTakesNothingMore() throws Exception {
    LiveReader r = listening();
    r.from("e", 0, b -> {
      got.add(b.getOffset());
      r.stop();
    });
    hub.broadcast(msg("e", 1));
    hub.broadcast(msg("e", 2));
    assertThat(got).containsExactly(1L);
    assertThat(hub.streamCount()).isZero();
  }

  @Test
  void aReaderStoppedWhileCatchingUpTakesNoMoreOfTheEarlyOnes() throws Exception {
    LiveReader r = listening();
    hub.broadcast(msg("e", 1));
    hub.broadcast(msg("e", 2));
    r.from("e", 0, b -> {
      got.add(b.getOffset());
      r.stop();
    });
    assertThat(got).containsExactly(1L);
  }
}
