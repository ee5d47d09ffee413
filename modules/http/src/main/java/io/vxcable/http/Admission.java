package io.vxcable.http;

import io.vxcable.config.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The storm shield: decides, before a connection costs anything (a session, an RPC Connect, a
 * broker lookup), whether it may start now. Two limits, both off by default: new connections per
 * second from one client address (a token bucket per address, IPv6 per /64), and connections being
 * set up at once in this process (from the handshake until authentication is over). A refused
 * connection is shed: the caller closes it cheaply and tells the client when to come back.
 *
 * <p>One instance per set of limits in the process ({@link #shared}), so every event loop and
 * every listener with the same settings counts together. Thread-safe.
 */
public final class Admission {

  private static final Logger LOG = Logger.getLogger(Admission.class.getName());
  private static final Map<Limits, Admission> SHARED = new ConcurrentHashMap<>();
  /** Addresses tracked at most; past it, new addresses pass untracked (the global limit still holds). */
  static final int MAX_TRACKED = 200_000;
  private static final long SWEEP_EVERY_NANOS = 10_000_000_000L;
  private static final long REPORT_EVERY_NANOS = 10_000_000_000L;

  /**
   * @param ratePerIp new connections per second one address may open; 0 = no limit
   * @param burstPerIp connections an address may open at once before the rate applies; 0 = the rate
   * @param maxPending connections being set up at once in the process; 0 = no limit
   */
  public record Limits(int ratePerIp, int burstPerIp, int maxPending) {
    public static final Limits NONE = new Limits(0, 0, 0);

    public Limits {
      if (ratePerIp < 0 || burstPerIp < 0 || maxPending < 0) {
        throw new IllegalArgumentException("admission limits cannot be negative");
      }
    }

    /** From {@code --max_conn_rate_per_ip}, {@code --max_conn_burst_per_ip} and {@code --max_pending_connections}. */
    public static Limits from(Settings s) {
      return new Limits(Math.max(0, s.integer("max_conn_rate_per_ip")), Math.max(0, s.integer("max_conn_burst_per_ip")),
          Math.max(0, s.integer("max_pending_connections")));
    }

    boolean off() {
      return ratePerIp == 0 && maxPending == 0;
    }
  }

  /** Why a connection was shed, with the {@code reason} its disconnect message carries. */
  public enum Refusal {
    RATE_LIMITED("rate_limited"),
    OVERLOADED("overloaded");

    public final String reason;

    Refusal(String reason) {
      this.reason = reason;
    }
  }

  /**
   * The outcome for one connection. An admitted ticket must be {@link #release released} when the
   * connection is set up or gone (twice is harmless); a refused one says why and when to retry.
   */
  public static final class Ticket {
    private static final Ticket FREE = new Ticket(null, null, 0);

    private final Admission owner;
    private final Refusal refusal;
    private final int retryAfterSeconds;
    private final AtomicBoolean released = new AtomicBoolean();

    private Ticket(Admission owner, Refusal refusal, int retryAfterSeconds) {
      this.owner = owner;
      this.refusal = refusal;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public boolean admitted() {
      return refusal == null;
    }

    /** Why it was refused; null when admitted. */
    public Refusal refusal() {
      return refusal;
    }

    /** Seconds the client should wait before its next attempt (refused tickets). */
    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }

    public void release() {
      if (owner != null && refusal == null && released.compareAndSet(false, true)) {
        owner.pending.decrementAndGet();
      }
    }
  }

  private final Limits limits;
  private final LongSupplier nanos;
  /** Per address: the theoretical arrival time of its next connection (GCRA), in nanos. */
  private final ConcurrentHashMap<String, Long> next = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong lastSweep;
  private final AtomicLong lastReport;
  private final AtomicLong shedByRate = new AtomicLong();
  private final AtomicLong shedByLoad = new AtomicLong();

  Admission(Limits limits, LongSupplier nanos) {
    this.limits = limits;
    this.nanos = nanos;
    this.lastSweep = new AtomicLong(nanos.getAsLong());
    this.lastReport = new AtomicLong(nanos.getAsLong());
  }

  /** The process-wide admission for these limits. */
  public static Admission shared(Limits limits) {
    return SHARED.computeIfAbsent(limits, l -> new Admission(l, System::nanoTime));
  }

  /** Decides for a new connection from {@code address} (an IP literal; empty when unknown). */
  public Ticket admit(String address) {
    if (limits.off()) {
      return Ticket.FREE;
    }
    long now = nanos.getAsLong();
    if (limits.ratePerIp() > 0 && address != null && !address.isEmpty()) {
      long waitNanos = take(key(address), now);
      if (waitNanos > 0) {
        shedByRate.incrementAndGet();
        report(now);
        return new Ticket(this, Refusal.RATE_LIMITED, (int) Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
      }
    }
    if (limits.maxPending() > 0) {
      if (pending.incrementAndGet() > limits.maxPending()) {
        pending.decrementAndGet();
        shedByLoad.incrementAndGet();
        report(now);
        // Spread the comebacks: a refused herd told the same second comes back as a herd.
        return new Ticket(this, Refusal.OVERLOADED, 1 + ThreadLocalRandom.current().nextInt(5));
      }
      return new Ticket(this, null, 0);
    }
    return Ticket.FREE;
  }

  /** Connections admitted and not yet released. */
  public int pending() {
    return pending.get();
  }

  /** Connections shed so far: by the per-address rate, by the pending limit. */
  public long[] shed() {
    return new long[] {shedByRate.get(), shedByLoad.get()};
  }

  int tracked() {
    return next.size();
  }

  /**
   * GCRA: one connection every {@code 1/rate} s, {@code burst} of them at once. Returns 0 when
   * the connection may start (and counts it), or how long until it could.
   */
  private long take(String key, long now) {
    long interval = 1_000_000_000L / limits.ratePerIp();
    long burst = limits.burstPerIp() > 0 ? limits.burstPerIp() : limits.ratePerIp();
    long tolerance = (burst - 1) * interval;
    sweep(now);
    if (next.size() >= MAX_TRACKED && !next.containsKey(key)) {
      return 0;
    }
    long[] wait = new long[1];
    next.compute(key, (k, tat) -> {
      long t = tat == null ? now : Math.max(tat, now);
      if (t - now > tolerance) {
        wait[0] = t - now - tolerance;
        return tat;
      }
      return t + interval;
    });
    return wait[0];
  }

  /** Forgets addresses whose allowance is full again (at most every 10 s, one thread at a time). */
  private void sweep(long now) {
    long last = lastSweep.get();
    if (now - last < SWEEP_EVERY_NANOS && next.size() < MAX_TRACKED) {
      return;
    }
    if (lastSweep.compareAndSet(last, now)) {
      next.values().removeIf(tat -> tat <= now);
    }
  }

  private void report(long now) {
    long last = lastReport.get();
    if (now - last >= REPORT_EVERY_NANOS && lastReport.compareAndSet(last, now)) {
      LOG.warning(() -> "Shedding new connections (total so far: " + shedByRate.get() + " over --max_conn_rate_per_ip, "
          + shedByLoad.get() + " over --max_pending_connections; " + pending.get() + " being set up)");
    }
  }

  /** The bucket of an address: IPv4 as is, IPv6 by its /64 (one subscriber's usual allocation). */
  static String key(String address) {
    if (address.indexOf(':') < 0) {
      return address;
    }
    try {
      byte[] b = InetAddress.getByName(address).getAddress();
      if (b.length != 16) {
        return address;
      }
      StringBuilder sb = new StringBuilder(20);
      for (int i = 0; i < 8; i += 2) {
        sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      }
      return sb.append(":/64").toString();
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
