package io.vxcable.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lean reader cuts a server's frames out of whatever the socket gives it, in any pieces. */
class RawReceiveTest {

  @Test
  void framesSplitAcrossReadsAndLongFramesArriveWholeAndControlFramesAreSkipped() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      SocketChannel client = SocketChannel.open(listener.getLocalAddress());
      client.configureBlocking(false);
      SocketChannel server = listener.accept();
      List<String> texts = new CopyOnWriteArrayList<>();
      CountDownLatch firstTwo = new CountDownLatch(2);
      CountDownLatch all = new CountDownLatch(4);
      String longText = "{\"t\":42,\"pad\":\"" + "x".repeat(300) + "\"}";
      byte[] split = text("{\"seq\":3,\"t\":3}");
      // What the connect phase had read past the confirmation: the first half of a frame.
      byte[] first = text("{\"seq\":1,\"t\":1}");
      ByteBuffer rest = ByteBuffer.wrap(first, 0, 5).slice();
      RawReceive receive = new RawReceive(List.of(new RawConnect.Opened(client, rest)), 1, (a, off, len) -> {
        texts.add(new String(a, off, len, StandardCharsets.UTF_8));
        firstTwo.countDown();
        all.countDown();
      }).start();
      try {
        write(server, concat(java.util.Arrays.copyOfRange(first, 5, first.length), new byte[] {(byte) 0x89, 0}, text(longText),
            java.util.Arrays.copyOfRange(split, 0, 7)));
        assertThat(firstTwo.await(10, TimeUnit.SECONDS)).as("got " + texts).isTrue();
        write(server, concat(java.util.Arrays.copyOfRange(split, 7, split.length), text("{\"seq\":4,\"t\":4}"), new byte[] {(byte) 0x88, 0}));
        assertThat(all.await(10, TimeUnit.SECONDS)).as("got " + texts).isTrue();
        assertThat(texts).containsExactly("{\"seq\":1,\"t\":1}", longText, "{\"seq\":3,\"t\":3}", "{\"seq\":4,\"t\":4}");
        assertThat(texts.stream().mapToLong(t -> Payload.sentAt(t.getBytes(StandardCharsets.UTF_8), 0, t.length())))
            .containsExactly(1L, 42L, 3L, 4L);
      } finally {
        receive.close();
        server.close();
        client.close();
      }
      assertThat(receive.closed.get()).as("the close frame ends the connection").isEqualTo(1);
    }
  }

  @Test
  void aConnectionTheServerEndsWithoutACloseFrameCountsAsClosed() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      SocketChannel client = SocketChannel.open(listener.getLocalAddress());
      client.configureBlocking(false);
      SocketChannel server = listener.accept();
      CountDownLatch got = new CountDownLatch(1);
      RawReceive receive = new RawReceive(List.of(new RawConnect.Opened(client, null)), 1, (a, off, len) -> got.countDown()).start();
      try {
        write(server, text("{\"t\":1}"));
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        server.close();
        io.vxcable.testkit.Eventually.eventually(() -> assertThat(receive.closed.get()).isEqualTo(1));
      } finally {
        receive.close();
        client.close();
      }
    }
  }

  @Test
  void theSendTimeIsFoundInFrameBytesOnlyWhereItIs() {
    byte[] ping = "{\"type\":\"ping\",\"message\":1700000000}".getBytes(StandardCharsets.US_ASCII);
    assertThat(Payload.sentAt(ping, 0, ping.length)).isEqualTo(-1);
    byte[] framed = "xx{\"seq\":2,\"t\":987}yy".getBytes(StandardCharsets.US_ASCII);
    assertThat(Payload.sentAt(framed, 2, framed.length - 4)).isEqualTo(987);
    // Cut before the digits: nothing to read.
    assertThat(Payload.sentAt(framed, 2, 13)).isEqualTo(-1);
  }

  /** A server's text frame: unmasked, with a 16-bit length past 125 bytes. */
  private static byte[] text(String s) {
    byte[] payload = s.getBytes(StandardCharsets.UTF_8);
    int header = payload.length > 125 ? 4 : 2;
    byte[] frame = new byte[header + payload.length];
    frame[0] = (byte) 0x81;
    if (header == 4) {
      frame[1] = 126;
      frame[2] = (byte) (payload.length >> 8);
      frame[3] = (byte) payload.length;
    } else {
      frame[1] = (byte) payload.length;
    }
    System.arraycopy(payload, 0, frame, header, payload.length);
    return frame;
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      all.put(p);
    }
    return all.array();
  }

  private static void write(SocketChannel ch, byte[] bytes) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
