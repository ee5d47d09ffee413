package io.vxcable.session.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frame headers at each length boundary, and the cache's sharing and releasing of frames. */
class SharedFramesTest {

  private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 200_000})
  void everyPayloadLengthIsFramedAsRfc6455Says(int length) {
    byte[] payload = new byte[length];
    Arrays.fill(payload, (byte) 'a');
    ByteBuf frame = SharedFrames.encode(payload, length % 2 == 0, false, alloc);
    int header = length < 126 ? 2 : length <= 65_535 ? 4 : 10;
    assertThat(frame.readableBytes()).isEqualTo(header + length);
    assertThat(ServerFrames.read(frame)).singleElement().satisfies(f -> {
      assertThat(f.binary()).isEqualTo(length % 2 == 0);
      assertThat(f.rsv1()).isFalse();
      assertThat(f.payload()).isEqualTo(payload);
    });
    frame.release();
  }

  @Test
  void theSameArrayGetsDuplicatesOfOneFrameAndEvictedFramesAreReleased() {
    SharedFrames frames = new SharedFrames();
    byte[] first = "first".getBytes();
    ByteBuf a = frames.frame(first, false, false, alloc);
    ByteBuf b = frames.frame(first, false, false, alloc);
    assertThat(frames.built).isEqualTo(1);
    assertThat(frames.reuses).isEqualTo(1);
    assertThat(a.unwrap()).isSameAs(b.unwrap());
    ByteBuf binary = frames.frame(first, true, false, alloc);
    assertThat(frames.built).as("another kind is another frame").isEqualTo(2);
    ByteBuf kept = a.unwrap();
    a.release();
    b.release();
    binary.release();
    assertThat(kept.refCnt()).as("held by the cache").isEqualTo(1);
    for (int i = 0; i < SharedFrames.SLOTS; i++) {
      frames.frame(("other" + i).getBytes(), false, false, alloc).release();
    }
    assertThat(kept.refCnt()).as("released when evicted").isZero();
  }
}
