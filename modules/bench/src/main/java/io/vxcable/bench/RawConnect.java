package io.vxcable.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The lean connecting client of {@code connect --client raw}: plain non-blocking sockets on a few
 * selector threads, so that the load generator, not the server, is no longer what most of the
 * machine's time goes to. Each connection writes one pre-built upgrade request, checks the
 * {@code 101}, and for Action Cable waits for {@code welcome}, writes one pre-masked
 * {@code subscribe} frame and waits for {@code confirm_subscription}; for {@code ws} the upgrade is
 * all. The same work a WebSocket client library does for these steps, without its per-connection
 * machinery. Connections stay open until the run ends and are then reset (no TIME_WAIT left on the
 * client's ports between runs).
 */
final class RawConnect {

  private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

  private final InetSocketAddress server;
  private final List<InetSocketAddress> sources;
  private final byte[] upgrade;
  private final byte[] subscribe;
  private final List<Opened> open = new ArrayList<>();
  /** How long a connection may take from connect to subscribed before it counts as failed. */
  private final long timeoutNs;

  RawConnect(String url, Protocol protocol, String stream, List<String> localAddresses, long timeoutMs) {
    if (protocol == Protocol.SOCKETIO) {
      throw new IllegalArgumentException("--client raw speaks actioncable and ws only");
    }
    this.timeoutNs = timeoutMs * 1_000_000L;
    URI u = URI.create(url);
    this.server = new InetSocketAddress(u.getHost(), u.getPort());
    this.sources = localAddresses.stream().map(a -> new InetSocketAddress(a, 0)).toList();
    String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    this.upgrade = ("GET " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + (protocol.subProtocol == null ? "" : "Sec-WebSocket-Protocol: " + protocol.subProtocol + "\r\n")
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
    this.subscribe = protocol == Protocol.ACTIONCABLE ? maskedText(
        "{\"command\":\"subscribe\",\"identifier\":" + Protocol.quote(Protocol.identifier(stream)) + "}") : null;
  }

  /** How many connected and failed, and the connected ones' times from connect to subscribed (µs, sorted). */
  record Result(int connected, int failed, long[] micros) { }

  /** A subscribed connection and what it had read past the confirmation (usually nothing; read mode). */
  record Opened(SocketChannel ch, ByteBuffer rest) { }

  /** Connects {@code n} clients over {@code threads} selector threads, {@code concurrency} in flight in all. */
  Result connect(int n, int concurrency, int threads) throws Exception {
    Worker[] workers = new Worker[threads];
    for (int t = 0; t < threads; t++) {
      int share = n / threads + (t < n % threads ? 1 : 0);
      workers[t] = new Worker(share, Math.max(1, concurrency / threads));
    }
    List<Thread> running = new ArrayList<>();
    for (Worker w : workers) {
      Thread thread = new Thread(w, "raw-connect");
      thread.start();
      running.add(thread);
    }
    for (Thread thread : running) {
      thread.join();
    }
    int connected = 0;
    int failed = 0;
    long[] micros = new long[0];
    for (Worker w : workers) {
      if (w.error != null) {
        throw w.error;
      }
      connected += w.ready;
      failed += w.failed;
      int at = micros.length;
      micros = Arrays.copyOf(micros, at + w.ready);
      System.arraycopy(w.micros, 0, micros, at, w.ready);
      open.addAll(w.open);
    }
    Arrays.sort(micros);
    return new Result(connected, failed, micros);
  }

  /** The connections subscribed so far, for {@link RawReceive} to read from. */
  List<Opened> opened() {
    return open;
  }

  /** Resets every connection that is still open. */
  void close() {
    open.forEach(c -> reset(c.ch()));
    open.clear();
  }

  private static void reset(SocketChannel ch) {
    try {
      ch.setOption(StandardSocketOptions.SO_LINGER, 0);
      ch.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  /** One connection's progress: what it waits for next, what it has read so far. */
  private static final class Conn {
    static final int UPGRADING = 1;
    static final int WELCOME = 2;
    static final int CONFIRM = 3;

    final SocketChannel ch;
    final long startNs = System.nanoTime();
    SelectionKey key;
    boolean finished;
    int state = UPGRADING;
    ByteBuffer in = ByteBuffer.allocate(1024);

    Conn(SocketChannel ch) {
      this.ch = ch;
    }
  }

  private final class Worker implements Runnable {
    final int share;
    final int concurrency;
    final long[] micros;
    final List<Opened> open = new ArrayList<>();
    /** Connections not yet finished, oldest first (some in the middle may have finished). */
    final ArrayDeque<Conn> pending = new ArrayDeque<>();
    int started;
    int ready;
    int failed;
    int inFlight;
    Exception error;

    Worker(int share, int concurrency) {
      this.share = share;
      this.concurrency = concurrency;
      this.micros = new long[share];
    }

    @Override
    public void run() {
      try (Selector selector = Selector.open()) {
        while (ready + failed < share) {
          while (inFlight < concurrency && started < share) {
            start(selector);
          }
          selector.select(1000);
          Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
          while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            Conn c = (Conn) key.attachment();
            try {
              step(key, c);
            } catch (IOException | RuntimeException e) {
              fail(key, c);
            }
          }
          expire();
        }
      } catch (Exception e) {
        error = e;
      }
    }

    /**
     * Connects in blocking mode (over loopback the handshake completes within the call, which
     * saves a wake-up and an {@code epoll_ctl} per connection), then reads without blocking.
     */
    private void start(Selector selector) throws IOException {
      SocketChannel ch = SocketChannel.open();
      started++;
      inFlight++;
      Conn c = new Conn(ch);
      try {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (!sources.isEmpty()) {
          ch.bind(sources.get(started % sources.size()));
        }
        ch.connect(server);
        ch.configureBlocking(false);
        write(ch, upgrade);
        c.state = Conn.UPGRADING;
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        pending.add(c);
      } catch (IOException e) {
        failed++;
        inFlight--;
        reset(ch);
      }
    }

    private void step(SelectionKey key, Conn c) throws IOException {
      if (c.ch.read(c.in) < 0) {
        throw new IOException("closed by the server");
      }
      c.in.flip();
      boolean done = consume(c);
      c.in.compact();
      if (!c.in.hasRemaining()) {
        c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
      }
      if (done) {
        c.finished = true;
        key.interestOps(0);
        micros[ready++] = (System.nanoTime() - c.startNs) / 1000;
        open.add(new Opened(c.ch, c.in.flip()));
        c.in = null;
        inFlight--;
      }
    }

    /** Reads what has arrived; true once the client is subscribed (or upgraded, for {@code ws}). */
    private boolean consume(Conn c) throws IOException {
      ByteBuffer in = c.in;
      if (c.state == Conn.UPGRADING) {
        int end = indexOf(in, HEADERS_END);
        if (end < 0) {
          return false;
        }
        String status = new String(in.array(), in.position(), Math.min(12, end - in.position()), StandardCharsets.US_ASCII);
        if (!status.equals("HTTP/1.1 101")) {
          throw new IOException("upgrade refused: " + status);
        }
        in.position(end + HEADERS_END.length);
        if (subscribe == null) {
          return true;
        }
        c.state = Conn.WELCOME;
      }
      while (in.remaining() >= 2) {
        int start = in.position();
        int opcode = in.get(start) & 0x0f;
        int len = in.get(start + 1) & 0x7f;
        int header = 2;
        if (len == 126) {
          header = 4;
          len = in.remaining() < 4 ? -1 : in.getShort(start + 2) & 0xffff;
        } else if (len == 127) {
          throw new IOException("a frame too big for a handshake");
        }
        if (len < 0 || in.remaining() < header + len) {
          return false;
        }
        String text = new String(in.array(), start + header, len, StandardCharsets.UTF_8);
        in.position(start + header + len);
        if (opcode == 8) {
          throw new IOException("closed by the server: " + text);
        }
        if (opcode != 1) {
          continue;
        }
        if (c.state == Conn.WELCOME && text.contains("\"welcome\"")) {
          write(c.ch, subscribe);
          c.state = Conn.CONFIRM;
        } else if (c.state == Conn.CONFIRM && text.contains("\"confirm_subscription\"")) {
          return true;
        } else if (text.contains("\"reject_subscription\"") || text.contains("\"disconnect\"")) {
          throw new IOException(text);
        }
      }
      return false;
    }

    /** Fails the connections that have waited longer than the timeout (a server that never answers). */
    private void expire() {
      long now = System.nanoTime();
      while (!pending.isEmpty() && (pending.peek().finished || now - pending.peek().startNs > timeoutNs)) {
        Conn c = pending.poll();
        if (!c.finished) {
          fail(c.key, c);
        }
      }
    }

    private void fail(SelectionKey key, Conn c) {
      c.finished = true;
      key.cancel();
      reset(c.ch);
      failed++;
      inFlight--;
    }
  }

  private static void write(SocketChannel ch, byte[] bytes) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(bytes);
    ch.write(out);
    if (out.hasRemaining()) {
      throw new IOException("a fresh socket did not take " + bytes.length + " bytes");
    }
  }

  private static int indexOf(ByteBuffer in, byte[] needle) {
    byte[] a = in.array();
    for (int i = in.position(); i <= in.limit() - needle.length; i++) {
      int j = 0;
      while (j < needle.length && a[i + j] == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return i;
      }
    }
    return -1;
  }

  /** A client's text frame (masked, as clients must; one random key per run). */
  static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 125) {
      throw new IllegalArgumentException("subscribe command longer than 125 bytes: use a shorter --stream");
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return frame;
  }
}
