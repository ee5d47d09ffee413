package io.vxcable.session.poll;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * One request of a {@link PollConnection} (taken over from Vert.x) as its session sees it: the
 * origin (for CORS) and whether the connection stays open, nothing else of the request. The
 * session's context is set when the request is handed to a session
 * ({@link PollConnection#exchange}); an answer without one (a preflight) is told on the
 * connection's event loop.
 */
final class NettyExchange extends PollExchange {

  private final PollConnection conn;
  private final String origin;
  private final boolean keepAlive;
  /** The session told when the connection closes before the answer. */
  private PollSession watcher;

  NettyExchange(PollConnection conn, String origin, boolean keepAlive) {
    super(null);
    this.conn = conn;
    this.origin = origin;
    this.keepAlive = keepAlive;
  }

  String origin() {
    return origin;
  }

  boolean keepAlive() {
    return keepAlive;
  }

  @Override
  void watch(PollSession session) {
    this.watcher = session;
    if (!conn.channel.isActive()) {
      // Closed while it was taken over: no channelInactive will come.
      closed();
    }
  }

  /** The connection closed before the answer was written. */
  void closed() {
    PollSession s = watcher;
    watcher = null;
    if (s != null) {
      sessionContext.runOnContext(v -> s.gone(this));
    }
  }

  @Override
  void write(int status, Buffer body, String pollId, String retryAfter, Consumer<Boolean> written) {
    Consumer<Boolean> told = sessionContext == null ? written : ok -> sessionContext.runOnContext(v -> written.accept(ok));
    HttpHeaders h = PollResponses.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    if (pollId != null) {
      h.set(LongPollingEndpoint.POLL_ID, pollId);
    }
    if (retryAfter != null) {
      h.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    conn.channel.eventLoop().execute(() -> conn.answer(this, HttpResponseStatus.valueOf(status), h, bytes, told));
  }

  @Override
  void abort() {
    conn.channel.close();
  }
}
