package io.vxcable.session.websocket;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayDeque;

/**
 * The connections of one event loop whose flush waits for the loop's queued tasks (see
 * {@link NettyWebSocket#writeFrame}), flushed together by one task queued behind them.
 *
 * <p>That task is not "other work": a connection that asks whether the loop is busy must not see
 * the flush queued for its neighbour, or one deferral would hold back every later connection of a
 * broadcast until the whole fan-out is written, and clients would get it in one late burst.
 */
final class LoopFlushes implements Runnable {

  private static final FastThreadLocal<LoopFlushes> PER_LOOP = new FastThreadLocal<>() {
    @Override
    protected LoopFlushes initialValue() {
      return new LoopFlushes();
    }
  };

  private final ArrayDeque<NettyWebSocket> waiting = new ArrayDeque<>();
  private boolean queued;

  /** This thread's instance (an event loop's). */
  static LoopFlushes current() {
    return PER_LOOP.get();
  }

  /** Whether tasks other than this flush wait on {@code loop} (the calling thread's loop). */
  boolean othersWaiting(EventLoop loop) {
    return loop instanceof SingleThreadEventExecutor executor && executor.pendingTasks() > (queued ? 1 : 0);
  }

  /** Flushes {@code ws} after the tasks now queued on {@code loop}. */
  void defer(NettyWebSocket ws, EventLoop loop) {
    waiting.add(ws);
    if (!queued) {
      queued = true;
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    queued = false;
    // Connections deferred while this runs (a flush can fail and close a session) wait for the next task.
    for (int n = waiting.size(); n > 0; n--) {
      waiting.poll().flushDeferred();
    }
  }
}
