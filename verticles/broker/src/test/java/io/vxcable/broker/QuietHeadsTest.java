package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import org.junit.jupiter.api.Test;

/** A stream's last position is named once, when it has been quiet long enough. */
class QuietHeadsTest {

  private static StreamBroadcast stamped(String stream, long offset) {
    return StreamBroadcast.newBuilder().setStream(stream).setEpoch("e").setOffset(offset).build();
  }

  @Test
  void aStreamsHeadIsNamedOnceItHasBeenQuietAndThenForgotten() {
    QuietHeads heads = new QuietHeads();
    heads.note(stamped("a", 1), 0);
    heads.note(stamped("b", 4), 100);
    heads.note(stamped("a", 2), 600);
    heads.note(StreamBroadcast.newBuilder().setStream("whisper").build(), 600);
    assertThat(heads.due(1000)).as("nothing quiet for a second yet").isNull();
    // b went quiet first; a's later publication moved it behind b.
    assertThat(heads.due(1100)).isEqualTo(new JsonObject().put("b", new JsonArray().add("e").add(4)));
    assertThat(heads.due(1599)).isNull();
    assertThat(heads.due(1600)).isEqualTo(new JsonObject().put("a", new JsonArray().add("e").add(2)));
    assertThat(heads.due(99_999)).as("each burst named once").isNull();
    assertThat(heads.size()).isZero();
  }

  @Test
  void batchesAreBounded() {
    QuietHeads heads = new QuietHeads();
    for (int i = 0; i < QuietHeads.MAX_BATCH + 5; i++) {
      heads.note(stamped("s" + i, 1), 0);
    }
    assertThat(heads.due(QuietHeads.QUIET_MS).size()).isEqualTo(QuietHeads.MAX_BATCH);
    assertThat(heads.due(QuietHeads.QUIET_MS).size()).isEqualTo(5);
  }
}
