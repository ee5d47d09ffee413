package io.vxcable.http;

import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads request bodies within limits: at most {@code maxBytes} per request (413, decided from
 * {@code Content-Length} before a byte is read when the client announces it), and all bodies being
 * read in this process together within a quarter of the heap (503), so no set of clients can make
 * the server buffer more than it can hold. A refused request is answered and its connection closed,
 * since the rest of its body is never read.
 */
public final class BoundedBody {

  /** Why a body was not read; {@link #status()} is the HTTP answer. */
  public static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Bytes of bodies being read right now, in this process. */
  private static final AtomicLong IN_FLIGHT = new AtomicLong();
  /** An unwanted body up to this size is read and dropped rather than cut off. */
  private static final long DRAINED = 64 * 1024;
  private static final long LINGER_MS = 1000;
  private static final long BUDGET = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);

  private BoundedBody() {}

  /**
   * Reads the whole body of {@code req}, or fails with {@link Refused}. Call it from the request
   * handler, before the handler returns.
   */
  public static Future<Buffer> read(HttpServerRequest req, long maxBytes) {
    long announced = contentLength(req);
    if (announced > maxBytes) {
      return Future.failedFuture(new Refused(413, "body of " + announced + " bytes over the limit of " + maxBytes));
    }
    if (announced > 0 && !reserve(announced)) {
      return Future.failedFuture(new Refused(503, "too many request bodies in flight"));
    }
    if (expectsContinue(req)) {
      // curl and others wait for this (up to a second) before sending a body.
      req.response().writeContinue();
    }
    Promise<Buffer> done = Promise.promise();
    Reader reader = new Reader(done, maxBytes, Math.max(0, announced));
    req.handler(reader::chunk);
    req.endHandler(v -> reader.end());
    req.exceptionHandler(reader::fail);
    return done.future();
  }

  /**
   * Answers a request whose body will not be used. A small announced body (up to 64 KiB) is read
   * and dropped first, so the connection stays usable; otherwise the answer says
   * {@code Connection: close}, the server stops sending and closes the connection a second later
   * (what arrives meanwhile is dropped), so the client reads the answer instead of a reset.
   */
  public static void reject(HttpServerRequest req, int status) {
    if (req.response().ended()) {
      close(req);
      return;
    }
    if (req.isEnded()) {
      req.response().setStatusCode(status).end();
      return;
    }
    long announced = contentLength(req);
    // A client that asked before sending learns the answer now and sends nothing.
    if (announced >= 0 && announced <= DRAINED && !expectsContinue(req)) {
      req.handler(chunk -> { });
      req.exceptionHandler(err -> close(req));
      req.endHandler(v -> req.response().setStatusCode(status).end());
      return;
    }
    req.handler(chunk -> { });
    req.response().setStatusCode(status).putHeader("Connection", "close").end().onComplete(ar -> linger(req));
  }

  /** The status a failure of {@link #read} maps to: its own for a refusal, 422 for a broken read (anycable-go's). */
  public static int statusOf(Throwable failure) {
    return failure instanceof Refused r ? r.status() : 422;
  }

  private static void linger(HttpServerRequest req) {
    if (req.connection() instanceof HttpServerConnection http && http.channelHandlerContext().channel() instanceof SocketChannel ch) {
      ch.shutdownOutput();
      ch.eventLoop().schedule(() -> ch.close(), LINGER_MS, TimeUnit.MILLISECONDS);
    } else {
      close(req);
    }
  }

  private static void close(HttpServerRequest req) {
    if (req.connection() instanceof HttpServerConnection http) {
      Channel channel = http.channelHandlerContext().channel();
      channel.close();
    } else {
      req.connection().close();
    }
  }

  private static boolean expectsContinue(HttpServerRequest req) {
    String expect = req.getHeader("Expect");
    return expect != null && expect.trim().equalsIgnoreCase("100-continue");
  }

  private static long contentLength(HttpServerRequest req) {
    String header = req.getHeader("Content-Length");
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean reserve(long bytes) {
    long now = IN_FLIGHT.addAndGet(bytes);
    if (now > BUDGET) {
      IN_FLIGHT.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** One body being read: its bytes so far and its share of the process budget. */
  private static final class Reader {
    private final Promise<Buffer> done;
    private final long max;
    private long reserved;
    private Buffer body;
    private boolean over;

    Reader(Promise<Buffer> done, long max, long reserved) {
      this.done = done;
      this.max = max;
      this.reserved = reserved;
    }

    void chunk(Buffer chunk) {
      if (over) {
        return;
      }
      int size = body == null ? 0 : body.length();
      long after = (long) size + chunk.length();
      if (after > max) {
        fail(new Refused(413, "body over the limit of " + max + " bytes"));
        return;
      }
      if (after > reserved) {
        if (!reserve(after - reserved)) {
          fail(new Refused(503, "too many request bodies in flight"));
          return;
        }
        reserved = after;
      }
      if (body == null) {
        body = Buffer.buffer((int) Math.min(Math.max(reserved, chunk.length()), max));
      }
      body.appendBuffer(chunk);
    }

    void end() {
      if (over) {
        return;
      }
      over = true;
      release();
      done.tryComplete(body == null ? Buffer.buffer() : body);
    }

    void fail(Throwable error) {
      if (over) {
        return;
      }
      over = true;
      body = null;
      release();
      done.tryFail(error);
    }

    private void release() {
      IN_FLIGHT.addAndGet(-reserved);
      reserved = 0;
    }
  }
}
