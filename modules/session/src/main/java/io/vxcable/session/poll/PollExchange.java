package io.vxcable.session.poll;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Consumer;

/**
 * One poll request as its session sees it. The request belongs to the event loop of the gateway
 * instance that received it, which may not be the session's: the response is always written on the
 * request's own context, and what became of it is reported back on the session's context. The state
 * fields are only touched on the session's context.
 */
final class PollExchange {

  static final String CONTENT_TYPE = "application/jsonl; charset=utf-8";

  private final HttpServerRequest req;
  private final Context requestContext;
  private final Context sessionContext;
  private String pollId;
  /** The client went away before its answer. */
  private boolean gone;
  /** An answer was started. */
  private boolean answered;
  /** Over for the session: answered and written (or not), or gone; counted once. */
  private boolean over;

  /**
   * @param requestContext the context the request arrived on (its connection's event loop)
   * @param sessionContext the context of the session the request is for
   */
  PollExchange(HttpServerRequest req, Context requestContext, Context sessionContext) {
    this.req = req;
    this.requestContext = requestContext;
    this.sessionContext = sessionContext;
  }

  /** Tells {@code onGone}, on the session's context, when the connection closes before an answer. Call on the request's context. */
  void watch(Runnable onGone) {
    req.response().closeHandler(v -> sessionContext.runOnContext(x -> onGone.run()));
  }

  /** The {@code X-Anycable-Poll-ID} the answer carries (the first request of a session). */
  void pollId(String id) {
    this.pollId = id;
  }

  boolean gone() {
    return gone;
  }

  void markGone() {
    gone = true;
  }

  boolean answered() {
    return answered;
  }

  /** Marks the exchange over; false when it already was (so its end is counted once). */
  boolean finish() {
    if (over) {
      return false;
    }
    over = true;
    return true;
  }

  /**
   * Answers with {@code status} and a JSON Lines body, written on the request's context;
   * {@code written} learns on the session's context whether the whole answer reached the socket.
   */
  void answer(int status, Buffer body, Consumer<Boolean> written) {
    answered = true;
    String id = pollId;
    requestContext.runOnContext(v -> {
      HttpServerResponse res = req.response();
      if (res.ended() || res.closed()) {
        sessionContext.runOnContext(x -> written.accept(false));
        return;
      }
      res.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE);
      if (id != null) {
        res.putHeader(LongPollingEndpoint.POLL_ID, id);
      }
      res.end(body).onComplete(ar -> sessionContext.runOnContext(x -> written.accept(ar.succeeded())));
    });
  }

  /** Drops the request's connection (an answer that does not get written in time). */
  void abort() {
    requestContext.runOnContext(v -> req.connection().close());
  }
}
