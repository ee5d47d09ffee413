package io.vxcable.session.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * Whole WebSocket frames for bytes that many connections send. A broadcast's bytes are shared by
 * every subscriber of its stream and identifier, and a server frame is never masked, so the frame
 * (header and payload, in direct memory) is the same for all of them: it is built once per event
 * loop and every connection writes a duplicate of it. No frame object, header buffer or heap to
 * direct copy per connection, which a native transport would otherwise make for each write.
 *
 * <p>With permessage-deflate the payload is compressed here too: with no context takeover (which
 * the server always asks for) the compressed form is the same for every connection. Such a frame
 * has RSV1 set and goes out as bytes, past Netty's per-channel encoder. Only for connections whose
 * server window is the default 15 bits: the JDK's deflater cannot compress for a smaller window.
 *
 * <p>Each event loop keeps the last {@link #SLOTS} frames it built, keyed by the identity of the
 * shared array (a fan-out writes one array to every local subscriber in turn); frames larger than
 * {@link #MAX_CACHED} are built for one write and not kept.
 */
final class SharedFrames {

  static final int SLOTS = 8;
  static final int MAX_CACHED = 64 * 1024;
  private static final int LEVEL = 6;
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  private static final FastThreadLocal<SharedFrames> PER_LOOP = new FastThreadLocal<>() {
    @Override
    protected SharedFrames initialValue() {
      return new SharedFrames();
    }
  };

  private final Deflater deflater = new Deflater(LEVEL, true);
  private final byte[] chunk = new byte[8192];
  private final byte[][] plain = new byte[SLOTS][];
  private final int[] kinds = new int[SLOTS];
  private final ByteBuf[] frames = new ByteBuf[SLOTS];
  private int next;
  long built;
  long compressions;
  long reuses;

  /** This thread's instance (an event loop's). */
  static SharedFrames current() {
    return PER_LOOP.get();
  }

  /**
   * The whole frame for {@code bytes}, as a buffer of its own for one write (the caller's write
   * releases it). {@code deflate}: the payload compressed, RSV1 set (ignored for an empty payload).
   */
  ByteBuf frame(byte[] bytes, boolean binary, boolean deflate, ByteBufAllocator alloc) {
    boolean compress = deflate && bytes.length > 0;
    int kind = (binary ? 2 : 0) | (compress ? 1 : 0);
    for (int i = 0; i < SLOTS; i++) {
      if (plain[i] == bytes && kinds[i] == kind) {
        reuses++;
        return frames[i].retainedDuplicate();
      }
    }
    byte[] payload = compress ? deflate(bytes) : bytes;
    ByteBuf frame = encode(payload, binary, compress, alloc);
    built++;
    if (bytes.length > MAX_CACHED) {
      return frame;
    }
    if (frames[next] != null) {
      frames[next].release();
    }
    plain[next] = bytes;
    kinds[next] = kind;
    frames[next] = frame;
    next = (next + 1) % SLOTS;
    return frame.retainedDuplicate();
  }

  /** RFC 6455 §5.2, server to client: FIN, RSV1 when compressed, no mask. */
  static ByteBuf encode(byte[] payload, boolean binary, boolean rsv1, ByteBufAllocator alloc) {
    int length = payload.length;
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf buf = alloc.directBuffer(header + length);
    buf.writeByte(0x80 | (rsv1 ? 0x40 : 0) | (binary ? 0x2 : 0x1));
    if (length < 126) {
      buf.writeByte(length);
    } else if (length <= 0xFFFF) {
      buf.writeByte(126);
      buf.writeShort(length);
    } else {
      buf.writeByte(127);
      buf.writeLong(length);
    }
    buf.writeBytes(payload);
    return buf;
  }

  /** The payload of a compressed message (RFC 7692 §7.2.1: the 00 00 ff ff tail removed). */
  private byte[] deflate(byte[] bytes) {
    compressions++;
    deflater.reset();
    deflater.setInput(bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, bytes.length / 2));
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.write(chunk, 0, n);
    } while (n == chunk.length);
    byte[] all = out.toByteArray();
    return endsWithTail(all) ? java.util.Arrays.copyOf(all, all.length - TAIL.length) : all;
  }

  private static boolean endsWithTail(byte[] a) {
    if (a.length < TAIL.length) {
      return false;
    }
    for (int i = 0; i < TAIL.length; i++) {
      if (a[a.length - TAIL.length + i] != TAIL[i]) {
        return false;
      }
    }
    return true;
  }
}
