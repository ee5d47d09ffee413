package io.vxcable.session;

import io.vxcable.protocol.DisconnectReason;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Every session's timed duties on one wheel: pings (first one jittered), pong deadlines for the
 * extended protocol (or with native pings), and stalled writes. One tick per event loop, no timer
 * per connection. The only writer of a session's heartbeat fields.
 */
final class Heartbeats {

  private static final Logger LOG = Logger.getLogger(Heartbeats.class.getName());

  private final SessionOptions options;
  private final TimerWheel wheel;
  private final LongSupplier clock;
  private final Consumer<Session> writeFailed;
  private final PingFrames pings = new PingFrames();
  private final EngineStats stats;

  Heartbeats(SessionOptions options, TimerWheel wheel, LongSupplier clock, Consumer<Session> writeFailed,
      EngineStats stats) {
    this.options = options;
    this.stats = stats;
    this.wheel = wheel;
    this.clock = clock;
    this.writeFailed = writeFailed;
  }

  void tick() {
    wheel.advance(clock.getAsLong());
  }

  /** Sets a new session's ping interval and precision ({@code ?pi=}, {@code ?ptp=}) and schedules it. */
  void configure(Session s) {
    long interval = options.pingInterval() * 1000L;
    String pi = s.request().param("pi");
    if (pi != null) {
      try {
        interval = Long.parseLong(pi.trim()) * 1000L;
      } catch (NumberFormatException e) {
        LOG.fine(() -> "ignoring non-integer pi=" + pi);
      }
    }
    String ptp = s.request().param("ptp");
    s.pingPrecision = PingFrames.precision(ptp != null ? ptp : options.pingPrecision());
    if (s.transport().polled()) {
      // Long polling: no pings, hence no pong deadline (see Transport#polled).
      interval = 0;
    }
    s.pingIntervalMs = interval;
    if (interval > 0) {
      // First ping at a random point of [interval/2, 3*interval/2): spreads a reconnect storm's pings.
      s.pingDue = clock.getAsLong() + interval / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, interval));
    }
    scheduleNext(s, clock.getAsLong());
  }

  /** Any client traffic answers a pending ping. */
  void heard(Session s) {
    s.pongDeadline = 0;
  }

  void watchWrites(Session s) {
    long timeout = writeTimeoutMs(s);
    long deadline = s.pendingSince() + timeout;
    if (timeout > 0 && (!s.scheduled() || s.due() > deadline)) {
      wheel.schedule(s, deadline);
    }
  }

  void onTimer(Session s, long now) {
    if (s.closed()) {
      return;
    }
    long pendingSince = s.pendingSince();
    long timeout = writeTimeoutMs(s);
    if (pendingSince > 0 && timeout > 0 && now - pendingSince >= timeout) {
      writeFailed.accept(s);
      return;
    }
    long releaseDue = LiveGates.nextDue(s);
    if (releaseDue > 0 && now >= releaseDue) {
      LiveGates.releaseDue(s, now);
    }
    if (s.pongDeadline > 0 && now >= s.pongDeadline) {
      s.disconnect(DisconnectReason.NO_PONG, true, 1000, "No Pong");
      return;
    }
    if (s.pingDue > 0 && now >= s.pingDue) {
      if (s.protocol().pings()) {
        s.write(pings.frame(s.protocol().pingFormat(), s.pingPrecision));
        stats.pingsWritten++;
      }
      if (options.nativePings()) {
        s.transport().writeNativePing();
      }
      s.pingDue = now + s.pingIntervalMs;
      if (pongRequired(s) && s.pongDeadline == 0) {
        s.pongDeadline = now + options.pongTimeout() * 1000L;
      }
    }
    scheduleNext(s, now);
  }

  void cancel(Session s) {
    wheel.cancel(s);
  }

  /** How long a write may stall, in ms; 0 = unchecked (a polled transport holds frames by design). */
  private long writeTimeoutMs(Session s) {
    return s.transport().polled() ? 0 : options.writeTimeout() * 1000L;
  }

  private boolean pongRequired(Session s) {
    return options.pongTimeout() > 0 && (s.extended() || options.nativePings());
  }

  private void scheduleNext(Session s, long now) {
    long next = Long.MAX_VALUE;
    if (s.pingDue > 0) {
      next = s.pingDue;
    }
    if (s.pongDeadline > 0) {
      next = Math.min(next, s.pongDeadline);
    }
    long timeout = writeTimeoutMs(s);
    if (s.pendingSince() > 0 && timeout > 0) {
      next = Math.min(next, s.pendingSince() + timeout);
    }
    long releaseDue = LiveGates.nextDue(s);
    if (releaseDue > 0) {
      next = Math.min(next, releaseDue);
    }
    if (next != Long.MAX_VALUE) {
      wheel.schedule(s, next);
    }
  }
}
