package io.vxcable.session.poll;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vxcable.observability.Trace;
import io.vxcable.session.Session;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.Transport;
import io.vxcable.session.wire.ActionCableJson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One long-poll session's transport: what the engine says waits in a buffer until a poll request
 * takes it. A request with commands runs them first; it is then answered at once when something
 * is buffered, or waits up to {@code --poll_interval} for messages, gathering them for
 * {@code --poll_flush_interval} after the first one. A session with no request for
 * {@code --poll_keepalive_timeout} after its last answer was written is closed through the engine
 * like a dropped WebSocket (Disconnect call, presence, a snapshot to restore it from).
 *
 * <p>A frame counts as written (its {@link WriteCallback} is told) only once the answer carrying it
 * reached the socket, so buffered bytes count toward {@code --ws_max_pending_size} and a client that
 * stops polling while messages pile up is disconnected as too slow. An answer that was not written
 * (the client went away or aborted the request) gives its frames back to the buffer, in order, for
 * the next poll. Everything here runs on the session's context.
 */
final class PollSession implements Transport {

  private static final Logger LOG = Logger.getLogger(PollSession.class.getName());
  /** The answer to a request for a session that is gone. */
  static final byte[] EXPIRED = ActionCableJson.EXT.encode(new Reply.Disconnect("session_expired", true));

  private record Frame(byte[] bytes, WriteCallback done) {}

  private final String id;
  private final SessionEngine engine;
  private final PollRegistry registry;
  private final PollOptions options;
  private final Context context;
  private final Vertx vertx;
  private Session session;

  private final ArrayDeque<Frame> buffer = new ArrayDeque<>();
  /** The request waiting for messages; null when none. */
  private PollExchange waiting;
  private long waitTimer = -1;
  private long flushTimer = -1;
  private long keepaliveTimer = -1;
  /** Requests that arrived and are not over (reading, running commands, waiting, being answered). */
  private int active;
  /** The engine closed the session: what is buffered goes with the next answer, then it ends. */
  private boolean closing;
  private int closeCode;
  /** Ended: unregistered and closed in the engine. */
  private boolean finished;

  PollSession(String id, SessionEngine engine, PollRegistry registry, PollOptions options, Context context) {
    this.id = id;
    this.engine = engine;
    this.registry = registry;
    this.options = options;
    this.context = context;
    this.vertx = context.owner();
  }

  void bind(Session s) {
    this.session = s;
  }

  String id() {
    return id;
  }

  /** The context the session lives on: requests are handed over to it. */
  Context context() {
    return context;
  }

  // ---- requests -------------------------------------------------------------------------------

  /** A request for this session arrived (its body is being read): the keepalive stops. */
  void arrived() {
    active++;
    cancelKeepalive();
  }

  /** The request will not be served (its body was refused or could not be read). */
  void abandoned(PollExchange ex) {
    over(ex);
  }

  /** The client of {@code ex} went away before its answer. */
  void gone(PollExchange ex) {
    if (ex.answered()) {
      // Its write's outcome ends it.
      return;
    }
    ex.markGone();
    if (waiting == ex) {
      stopWaiting();
    }
    over(ex);
  }

  /**
   * The first request, once authentication is over: refused (401, or 500 after an error, with what
   * the session said), or registered and answered, with its poll ID, after its commands ran.
   */
  void opened(PollExchange ex, List<byte[]> commands) {
    if (!session.connected()) {
      refuse(ex, closeCode == 1011 ? 500 : 401);
      return;
    }
    if (ex.gone()) {
      // Nobody learnt the poll ID.
      finish();
      return;
    }
    registry.add(id, this);
    ex.pollId(id);
    run(ex, commands, false);
  }

  /**
   * A later request: an earlier one still waiting is answered (empty) first; this one runs its
   * commands, then is answered with what is buffered, or waits.
   */
  void poll(PollExchange ex, List<byte[]> commands) {
    if (finished) {
      stale(ex);
      return;
    }
    if (waiting != null) {
      answerEmpty(waiting);
    }
    run(ex, commands, true);
  }

  /** Answers a request for a session that is gone: 401 with a {@code session_expired} disconnect. */
  void stale(PollExchange ex) {
    registry.stale();
    ex.answer(401, JsonLines.join(List.of(EXPIRED)), ok -> over(ex));
  }

  private void run(PollExchange ex, List<byte[]> commands, boolean mayWait) {
    for (byte[] line : commands) {
      engine.onFrame(session, line);
    }
    engine.settled(session).onComplete(v -> ready(ex, mayWait));
  }

  /** The request's commands ran (their replies are buffered): answer now, or wait for messages. */
  private void ready(PollExchange ex, boolean mayWait) {
    if (ex.gone() || ex.answered()) {
      return;
    }
    if (finished) {
      stale(ex);
      return;
    }
    if (waiting != null && waiting != ex) {
      answerEmpty(waiting);
    }
    if (closing || !buffer.isEmpty() || !mayWait || options.intervalMs() == 0) {
      respond(ex, 200);
      return;
    }
    waiting = ex;
    waitTimer = vertx.setTimer(options.intervalMs(), t -> {
      waitTimer = -1;
      if (waiting == ex) {
        respond(ex, 200);
      }
    });
  }

  // ---- answers --------------------------------------------------------------------------------

  /** Answers with everything buffered; the session ends once the answer to a closing session is written. */
  private void respond(PollExchange ex, int status) {
    if (waiting == ex) {
      stopWaiting();
    }
    boolean last = closing;
    List<Frame> frames = new ArrayList<>(buffer);
    buffer.clear();
    List<byte[]> bytes = new ArrayList<>(frames.size());
    frames.forEach(f -> bytes.add(f.bytes()));
    long stall = options.writeTimeoutMs() > 0 ? vertx.setTimer(options.writeTimeoutMs(), t -> ex.abort()) : -1;
    ex.answer(status, JsonLines.join(bytes), ok -> {
      vertx.cancelTimer(stall);
      written(frames, ok);
      over(ex);
      if (last && ok) {
        finish();
      } else {
        wake();
      }
    });
  }

  /** Answers with nothing: a newer request takes over. */
  private void answerEmpty(PollExchange ex) {
    if (waiting == ex) {
      stopWaiting();
    }
    ex.answer(200, Buffer.buffer(), ok -> over(ex));
  }

  /** Answers the refused first request with what the session said, and ends the session. */
  private void refuse(PollExchange ex, int status) {
    List<Frame> frames = new ArrayList<>(buffer);
    buffer.clear();
    List<byte[]> bytes = new ArrayList<>(frames.size());
    frames.forEach(f -> bytes.add(f.bytes()));
    ex.answer(status, JsonLines.join(bytes), ok -> {
      over(ex);
      finish();
      // Told once the session is closed: a failed write of a refused session is no write failure.
      frames.forEach(f -> f.done().written(ok));
    });
  }

  private void written(List<Frame> frames, boolean ok) {
    if (ok || finished) {
      frames.forEach(f -> f.done().written(ok));
      return;
    }
    // The client did not get them: they wait for its next poll, ahead of newer ones.
    for (int i = frames.size() - 1; i >= 0; i--) {
      buffer.addFirst(frames.get(i));
    }
  }

  /** A request is over for the session; with none left, the keepalive starts. */
  private void over(PollExchange ex) {
    if (!ex.finish()) {
      return;
    }
    active = Math.max(0, active - 1);
    if (active == 0 && !finished) {
      cancelKeepalive();
      keepaliveTimer = vertx.setTimer(options.keepaliveMs(), t -> {
        keepaliveTimer = -1;
        if (active == 0) {
          Trace.log(LOG, Level.FINE, session.sid(), () -> "long polling session expired");
          finish();
        }
      });
    }
  }

  /** A waiting request with something buffered is answered after the flush interval. */
  private void wake() {
    if (waiting != null && flushTimer < 0 && !buffer.isEmpty()) {
      PollExchange w = waiting;
      flushTimer = vertx.setTimer(Math.max(1, options.flushMs()), t -> {
        flushTimer = -1;
        if (waiting == w) {
          respond(w, 200);
        }
      });
    }
  }

  private void stopWaiting() {
    waiting = null;
    if (waitTimer >= 0) {
      vertx.cancelTimer(waitTimer);
      waitTimer = -1;
    }
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
  }

  private void cancelKeepalive() {
    if (keepaliveTimer >= 0) {
      vertx.cancelTimer(keepaliveTimer);
      keepaliveTimer = -1;
    }
  }

  /** Ends the session: unregistered, closed in the engine; frames never taken are dropped. */
  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    closing = true;
    cancelKeepalive();
    PollExchange w = waiting;
    stopWaiting();
    registry.remove(id, this);
    engine.onClosed(session);
    if (w != null) {
      w.answer(200, Buffer.buffer(), ok -> over(w));
    }
    List<Frame> left = new ArrayList<>(buffer);
    buffer.clear();
    left.forEach(f -> f.done().written(false));
  }

  // ---- Transport ------------------------------------------------------------------------------

  @Override
  public void writeFrame(byte[] bytes, boolean binary, WriteCallback done) {
    if (finished) {
      done.written(false);
      return;
    }
    buffer.add(new Frame(bytes, done));
    wake();
  }

  @Override
  public boolean supportsBinary() {
    return false;
  }

  @Override
  public boolean polled() {
    return true;
  }

  @Override
  public void writeNativePing() {
    // No transport-level pings over HTTP.
  }

  @Override
  public void pause() {
    // A request's commands are read whole; the engine queues them while one waits.
  }

  @Override
  public void resume() {
    // See pause().
  }

  /**
   * The engine ends the session: a waiting request takes what is buffered (the disconnect message)
   * now, otherwise the next poll does; then the session ends. With nothing to deliver and no
   * request under way it ends at once.
   */
  @Override
  public void close(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    closeCode = code;
    if (waiting != null) {
      respond(waiting, 200);
    } else if (active == 0 && buffer.isEmpty()) {
      finish();
    }
  }

  @Override
  public void terminate() {
    closing = true;
    if (waiting != null) {
      respond(waiting, 200);
    } else {
      finish();
    }
  }

  @Override
  public boolean isClosed() {
    return closing || finished;
  }
}
