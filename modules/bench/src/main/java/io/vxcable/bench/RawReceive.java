package io.vxcable.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lean receiving side of {@code fanout --client raw}: the connections {@link RawConnect}
 * subscribed, read on a few selector threads into one buffer per thread, the server's frames
 * (unmasked) cut out in place and every text frame handed to a listener as bytes. No WebSocket
 * library, no string or object per frame: a co-located load generator that costs the machine as
 * little as it can, so that the latency measured is the server's. Control frames are skipped (a
 * ping is not answered: neither AnyCable nor the {@code ws} peer sends one); a close frame or an
 * end of stream counts the connection as closed.
 */
final class RawReceive implements AutoCloseable {

  /** Called on a reader thread for each text frame, {@code len} bytes from {@code off}. */
  interface Listener {
    void text(byte[] a, int off, int len);
  }

  private final List<Reader> readers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Listener listener;
  /** Connections the server closed while being read. */
  final AtomicInteger closed = new AtomicInteger();
  private volatile boolean stopping;

  RawReceive(List<RawConnect.Opened> conns, int threadCount, Listener listener) throws IOException {
    this.listener = listener;
    for (int t = 0; t < threadCount; t++) {
      readers.add(new Reader(Selector.open()));
    }
    for (int i = 0; i < conns.size(); i++) {
      RawConnect.Opened c = conns.get(i);
      Reader r = readers.get(i % threadCount);
      c.ch().register(r.selector, SelectionKey.OP_READ, new Conn(c.rest()));
    }
    for (Reader r : readers) {
      Thread thread = new Thread(r, "raw-receive");
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  /** Starts reading; bytes the connect phase had read past the confirmation are handled first. */
  RawReceive start() {
    threads.forEach(Thread::start);
    return this;
  }

  /** Stops reading (the connections stay open: {@link RawConnect#close} resets them). */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    readers.forEach(r -> r.selector.wakeup());
    for (Thread t : threads) {
      t.join(10_000);
    }
    for (Reader r : readers) {
      try {
        r.selector.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  /** A connection's bytes of a frame not yet complete, between two reads (usually none). */
  private static final class Conn {
    ByteBuffer rest;

    Conn(ByteBuffer rest) {
      this.rest = rest != null && rest.hasRemaining() ? rest : null;
    }
  }

  private final class Reader implements Runnable {
    final Selector selector;
    /** Large enough for many frames per read; a bigger frame gets a buffer of its own. */
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);

    Reader(Selector selector) {
      this.selector = selector;
    }

    @Override
    public void run() {
      try {
        for (SelectionKey key : selector.keys()) {
          if (((Conn) key.attachment()).rest != null) {
            read(key, true);
          }
        }
        while (!stopping) {
          selector.select(200);
          Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
          while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            read(key, false);
          }
        }
      } catch (ClosedSelectorException e) {
        // closed while stopping
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private void read(SelectionKey key, boolean leftoverOnly) {
      Conn c = (Conn) key.attachment();
      ByteBuffer in = buf;
      in.clear();
      if (c.rest != null) {
        if (c.rest.remaining() > in.capacity() / 2) {
          in = ByteBuffer.allocate(c.rest.remaining() * 2);
        }
        in.put(c.rest);
        c.rest = null;
      }
      try {
        if (!leftoverOnly && ((java.nio.channels.SocketChannel) key.channel()).read(in) < 0) {
          gone(key);
          return;
        }
      } catch (IOException e) {
        gone(key);
        return;
      }
      in.flip();
      if (!frames(in)) {
        gone(key);
        return;
      }
      if (in.hasRemaining()) {
        c.rest = ByteBuffer.allocate(in.remaining()).put(in).flip();
      }
    }

    /** Hands over every whole frame in {@code in}; false on a close frame. */
    private boolean frames(ByteBuffer in) {
      byte[] a = in.array();
      while (in.remaining() >= 2) {
        int start = in.position();
        int opcode = a[start] & 0x0f;
        long len = a[start + 1] & 0x7f;
        int header = 2;
        if (len == 126) {
          header = 4;
          len = in.remaining() < 4 ? -1 : in.getShort(start + 2) & 0xffff;
        } else if (len == 127) {
          header = 10;
          len = in.remaining() < 10 ? -1 : in.getLong(start + 2);
        }
        if (len < 0 || in.remaining() < header + len) {
          return true;
        }
        in.position(start + header + (int) len);
        if (opcode == 8) {
          return false;
        }
        if (opcode == 1) {
          listener.text(a, start + header, (int) len);
        }
      }
      return true;
    }

    private void gone(SelectionKey key) {
      key.cancel();
      closed.incrementAndGet();
    }
  }
}
