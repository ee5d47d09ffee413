package io.vxcable.session.poll;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * One poll request as its session sees it. The request belongs to the event loop of the connection
 * that received it, which may not be the session's: the response is always written on the
 * connection's own event loop, and what became of it is reported back on the session's context.
 * Two kinds: {@link VertxExchange} answers through Vert.x (a connection that cannot be taken over),
 * {@link PollConnection}'s exchange writes Netty responses on a connection taken over from Vert.x.
 * The state fields are only touched on the session's context.
 */
abstract class PollExchange {

  static final String CONTENT_TYPE = "application/jsonl; charset=utf-8";

  /** The context of the session the request is for. */
  Context sessionContext;
  private String pollId;
  private String retryAfter;
  /** The client went away before its answer. */
  private boolean gone;
  /** An answer was started. */
  private boolean answered;
  /** Over for the session: answered and written (or not), or gone; counted once. */
  private boolean over;

  PollExchange(Context sessionContext) {
    this.sessionContext = sessionContext;
  }

  /** Tells {@code session}, on its context, when the connection closes before an answer. Call on the request's event loop. */
  abstract void watch(PollSession session);

  /**
   * Writes the answer on the request's event loop; {@code written} learns on the session's context
   * whether the whole answer reached the socket.
   */
  abstract void write(int status, Buffer body, String pollId, String retryAfter, Consumer<Boolean> written);

  /** Drops the request's connection (an answer that does not get written in time). */
  abstract void abort();

  /** The {@code X-Anycable-Poll-ID} the answer carries (the first request of a session). */
  void pollId(String id) {
    this.pollId = id;
  }

  /** The {@code Retry-After} the answer carries (a request shed by the storm shield). */
  void retryAfter(String seconds) {
    this.retryAfter = seconds;
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
   * Answers with {@code status} and a JSON Lines body (with the session's poll ID when set);
   * {@code written} learns on the session's context whether the whole answer reached the socket.
   */
  void answer(int status, Buffer body, Consumer<Boolean> written) {
    answered = true;
    write(status, body, pollId, retryAfter, written);
  }
}
