package io.vxcable.session.poll;

import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
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
final class PollSession extends PollWaits.Node implements Transport {

  private static final Logger LOG = Logger.getLogger(PollSession.class.getName());
  /** The answer to a request for a session that is gone. */
  static final byte[] EXPIRED = ActionCableJson.EXT.encode(new Reply.Disconnect("session_expired", true));

  private record Frame(byte[] bytes, WriteCallback done) {}

  private final String id;
  private final SessionEngine engine;
  private final PollRegistry registry;
  private final PollOptions options;
  private final Context context;
  /** Where a waiting request's {@code --poll_interval} runs out. */
  private final PollWaits waits;
  private Session session;

  /** What waits for the next answer; null when nothing does (an idle session keeps no empty queue). */
  private ArrayDeque<Frame> buffer;
  /** The request waiting for messages; null when none. */
  private PollExchange waiting;
  private ScheduledFuture<?> flushTimer;
  private ScheduledFuture<?> keepaliveTimer;
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
    this.waits = registry.waits(((ContextInternal) context).nettyEventLoop());
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

  /** A request that {@link #arrived} will not be served: its body could not be read. */
  void departed() {
    active = Math.max(0, active - 1);
    if (active == 0 && !finished) {
      startKeepalive();
    }
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
    if (closing || buffer != null || !mayWait || options.intervalMs() == 0) {
      respond(ex, 200);
      return;
    }
    waiting = ex;
    waits.add(this, options.intervalMs());
  }

  /** {@code --poll_interval} passed: a request still waiting is answered (empty). */
  @Override
  void expired() {
    ((ContextInternal) context).emit(v -> {
      if (waiting != null) {
        respond(waiting, 200);
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
    List<Frame> frames = takeBuffer();
    ScheduledFuture<?> stall = options.writeTimeoutMs() > 0 ? PollWaits.later(context, options.writeTimeoutMs(), ex::abort) : null;
    ex.answer(status, body(frames), ok -> {
      PollWaits.cancel(stall);
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
    List<Frame> frames = takeBuffer();
    ex.answer(status, body(frames), ok -> {
      over(ex);
      finish();
      // Told once the session is closed: a failed write of a refused session is no write failure.
      frames.forEach(f -> f.done().written(ok));
    });
  }

  /** Everything buffered, in order; the buffer is left empty (null). */
  private List<Frame> takeBuffer() {
    if (buffer == null) {
      return List.of();
    }
    List<Frame> frames = new ArrayList<>(buffer);
    buffer = null;
    return frames;
  }

  private static Buffer body(List<Frame> frames) {
    List<byte[]> bytes = new ArrayList<>(frames.size());
    frames.forEach(f -> bytes.add(f.bytes()));
    return JsonLines.join(bytes);
  }

  private void written(List<Frame> frames, boolean ok) {
    if (ok || finished || frames.isEmpty()) {
      frames.forEach(f -> f.done().written(ok));
      return;
    }
    // The client did not get them: they wait for its next poll, ahead of newer ones.
    if (buffer == null) {
      buffer = new ArrayDeque<>(Math.max(4, frames.size()));
    }
    for (int i = frames.size() - 1; i >= 0; i--) {
      buffer.addFirst(frames.get(i));
    }
  }

  /** A request is over for the session (counted once); with none left, the keepalive starts. */
  private void over(PollExchange ex) {
    if (ex.finish()) {
      departed();
    }
  }

  private void startKeepalive() {
    cancelKeepalive();
    keepaliveTimer = PollWaits.later(context, options.keepaliveMs(), () -> {
      keepaliveTimer = null;
      if (active == 0) {
        Trace.log(LOG, Level.FINE, session.sid(), () -> "long polling session expired");
        finish();
      }
    });
  }

  /** A waiting request with something buffered is answered after the flush interval. */
  private void wake() {
    if (waiting != null && flushTimer == null && buffer != null) {
      PollExchange w = waiting;
      flushTimer = PollWaits.later(context, Math.max(1, options.flushMs()), () -> {
        flushTimer = null;
        if (waiting == w) {
          respond(w, 200);
        }
      });
    }
  }

  private void stopWaiting() {
    waiting = null;
    waits.remove(this);
    PollWaits.cancel(flushTimer);
    flushTimer = null;
  }

  private void cancelKeepalive() {
    PollWaits.cancel(keepaliveTimer);
    keepaliveTimer = null;
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
    List<Frame> left = takeBuffer();
    left.forEach(f -> f.done().written(false));
  }

  // ---- Transport ------------------------------------------------------------------------------

  @Override
  public void writeFrame(byte[] bytes, boolean binary, WriteCallback done) {
    if (finished) {
      done.written(false);
      return;
    }
    if (buffer == null) {
      buffer = new ArrayDeque<>(4);
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
    } else if (active == 0 && buffer == null) {
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
