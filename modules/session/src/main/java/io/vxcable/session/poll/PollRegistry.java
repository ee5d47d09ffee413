package io.vxcable.session.poll;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vxcable.observability.Metrics;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live long-poll sessions of one process, by poll ID. A poll request can reach any gateway
 * instance (they share the port), while its session lives on the event loop of the instance that
 * authenticated it: the instance that receives a request finds the session here and hands the
 * request over to the session's context. One registry per Vert.x instance (kept in its local map),
 * thread-safe. Sessions are not shared across processes: a cluster needs sticky sessions.
 *
 * <p>Reports {@code long_poll_clients_num} (live sessions) and {@code long_poll_stale_requests_total}
 * (requests whose poll ID names no live session).
 */
final class PollRegistry implements Shareable {

  private static final String MAP = "vxcable.poll";
  private static final String KEY = "registry";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, PollSession> sessions = new ConcurrentHashMap<>();
  private final Map<EventLoop, PollWaits> waits = new ConcurrentHashMap<>();
  private final Metrics.Counter stale;

  private PollRegistry(Metrics metrics) {
    metrics.intervalGauge("long_poll_clients_num", "The number of active long polling clients", sessions::size);
    this.stale = metrics.counter("long_poll_stale_requests_total",
        "The number of requests for long polling sessions that are gone");
  }

  /** The process's registry, created (and its metrics registered) by the first caller. */
  static synchronized PollRegistry of(Vertx vertx, Metrics metrics) {
    LocalMap<String, PollRegistry> map = vertx.sharedData().getLocalMap(MAP);
    PollRegistry r = map.get(KEY);
    if (r == null) {
      r = new PollRegistry(metrics);
      map.put(KEY, r);
    }
    return r;
  }

  /** A new poll ID: 128 random bits (it is the only credential of later requests), URL-safe. */
  static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  void add(String id, PollSession session) {
    sessions.put(id, session);
  }

  /** The live session with this ID, or null. */
  PollSession get(String id) {
    return sessions.get(id);
  }

  void remove(String id, PollSession session) {
    sessions.remove(id, session);
  }

  int size() {
    return sessions.size();
  }

  /** The waiting polls of sessions on {@code loop}. */
  PollWaits waits(EventLoop loop) {
    return waits.computeIfAbsent(loop, PollWaits::new);
  }

  /** Counts a request for a session that is gone (or never was). */
  void stale() {
    stale.inc();
  }
}
