package io.vxcable.session.websocket;

import io.netty.util.concurrent.FastThreadLocal;
import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * permessage-deflate for frames that many connections send: a broadcast's bytes are shared by every
 * subscriber of its stream and identifier, and with no context takeover (which the server always
 * asks for) their compressed form is the same for every connection too. So it is compressed once
 * per event loop and reused, instead of once per connection by Netty's per-channel encoder: the
 * compressed frame goes out with RSV1 set, which Netty's encoder passes through untouched.
 *
 * <p>Each event loop keeps its own deflater and the last {@link #SLOTS} frames it compressed, keyed
 * by the identity of the shared array (a fan-out writes one array to every local subscriber in
 * turn). Only for connections whose server window is the default 15 bits: the JDK's deflater
 * cannot compress for a smaller window, so a client that asked for one keeps Netty's encoder.
 */
final class SharedDeflate {

  static final int SLOTS = 8;
  private static final int LEVEL = 6;
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  private static final FastThreadLocal<SharedDeflate> PER_LOOP = new FastThreadLocal<>() {
    @Override
    protected SharedDeflate initialValue() {
      return new SharedDeflate();
    }
  };

  private final Deflater deflater = new Deflater(LEVEL, true);
  private final byte[][] plain = new byte[SLOTS][];
  private final byte[][] compressed = new byte[SLOTS][];
  private final byte[] chunk = new byte[8192];
  private int next;
  long compressions;
  long reuses;

  /** This thread's instance (an event loop's). */
  static SharedDeflate current() {
    return PER_LOOP.get();
  }

  /** The payload of a compressed message for {@code bytes} (RFC 7692 §7.2.1: the tail removed). */
  byte[] compress(byte[] bytes) {
    for (int i = 0; i < SLOTS; i++) {
      if (plain[i] == bytes) {
        reuses++;
        return compressed[i];
      }
    }
    byte[] out = deflate(bytes);
    plain[next] = bytes;
    compressed[next] = out;
    next = (next + 1) % SLOTS;
    compressions++;
    return out;
  }

  private byte[] deflate(byte[] bytes) {
    deflater.reset();
    deflater.setInput(bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, bytes.length / 2));
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.write(chunk, 0, n);
    } while (n == chunk.length);
    byte[] all = out.toByteArray();
    int length = all.length;
    if (endsWithTail(all)) {
      length -= TAIL.length;
    }
    byte[] trimmed = new byte[length];
    System.arraycopy(all, 0, trimmed, 0, length);
    return trimmed;
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
