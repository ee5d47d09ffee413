package io.vxcable.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.Trace;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.DisconnectReason;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Transport;
import io.vxcable.session.spi.WireProtocol;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The session engine of one event loop, shared by the gateway and every translator verticle:
 * sessions come from a transport with a wire protocol; the engine authenticates them, runs their
 * commands one at a time ({@link Commands}), drives pings, pong deadlines and write stalls from one
 * timer wheel ({@link Heartbeats}), keeps presence alive, and fans broadcasts out through its
 * {@link Hub}. It reaches the application, the broker and presence only over the event bus.
 *
 * <p>Everything runs on one event loop: create one engine per verticle instance.
 */
public final class SessionEngine {

  private static final Logger LOG = Logger.getLogger(SessionEngine.class.getName());
  private static final long TICK_MS = 50;
  private static final long SHARD_SWEEP_MS = 10_000;

  private final SessionOptions options;
  private final Controller controller;
  private final LongSupplier clock;
  private final TimerWheel wheel;
  private final Heartbeats heartbeats;
  private final Hub hub;
  private final LiveOrder liveOrder;
  private final SessionRegistry registry;
  private final EngineStats stats = new EngineStats();
  private final EngineMetrics metrics;
  private final Metrics.KeyCount engines;
  private final Authenticator authenticator;
  private final Commands commands;
  private final PresenceCommands presence;
  private final Resumption resumption;
  private Promise<Void> drained;
  private SlowDrain slowDrain;
  private Vertx vertx;
  private MessageConsumer<RemoteCommand> remoteCommands;
  private MessageConsumer<Object> resyncs;
  private long tickTimer = -1;
  private long sweepTimer = -1;

  /**
   * An engine with the controllers a deployment uses: signed and public streams served locally,
   * everything else to the application over the bus ({@code cable.rpc.*}), or refused with
   * {@code --norpc}.
   */
  public static SessionEngine create(EventBus bus, SessionOptions options) {
    return create(bus, options, Metrics.NOOP);
  }

  /** The same, reporting to {@code metrics} (the process's, {@link Metrics#of}). */
  public static SessionEngine create(EventBus bus, SessionOptions options, Metrics metrics) {
    Controller fallback = options.norpc() ? new NullController() : new BusRpcController(bus, options.rpcTimeoutMs());
    return new SessionEngine(options, new StreamsRouter(fallback, options), bus, () -> System.nanoTime() / 1_000_000,
        metrics);
  }

  /** An engine around any controller and clock (tests). */
  SessionEngine(SessionOptions options, Controller controller, EventBus bus, LongSupplier clock) {
    this(options, controller, bus, clock, Metrics.NOOP);
  }

  SessionEngine(SessionOptions options, Controller controller, EventBus bus, LongSupplier clock, Metrics m) {
    this.options = options;
    this.controller = controller;
    this.clock = clock;
    this.registry = new SessionRegistry(m.keyCount("clients_uniq_num",
        "The number of unique clients (with respect to connection identifiers)"));
    this.wheel = new TimerWheel(TICK_MS, 2048, clock.getAsLong());
    this.heartbeats = new Heartbeats(options, wheel, clock, s -> {
      stats.stalledWrites++;
      writeFailed(s);
    }, stats);
    BrokerClient broker = new BrokerClient(bus);
    // Stamped broadcasts reach the hub in offset order, a hole filled from the broker's history.
    this.liveOrder = new LiveOrder(this::broadcastLocally, broker::after, clock,
        (ms, task) -> vertx.setTimer(ms, id -> task.run()));
    this.hub = new Hub(bus, liveOrder::accept, m.keyCount("broadcast_streams_num",
        "The number of active broadcasting streams"));
    this.metrics = new EngineMetrics(m, stats, registry, liveOrder);
    this.engines = m.holders("engines");
    this.resumption = new Resumption(options, broker, hub, clock, stats,
        m.amounts("history_replay_messages", "Messages sent per answered history request"));
    this.presence = new PresenceCommands(options, new PresenceClient(bus, options.broker()), clock);
    this.authenticator = new Authenticator(options, controller, resumption, registry, stats);
    this.commands = new Commands(options, controller, hub, resumption, presence, bus, stats);
  }

  /**
   * Starts the engine's duties on the caller's context: remote commands from the bus
   * ({@code cable.events.command}), resyncs of stamped streams ({@code cable.events.resync}), the
   * timer tick and the sweep of idle broadcast shards.
   */
  public Future<Void> attach(Vertx vertx) {
    this.vertx = vertx;
    engines.add("", this);
    remoteCommands = vertx.eventBus().consumer(Addresses.EVENTS_COMMAND, m -> remoteCommand(m.body()));
    resyncs = vertx.eventBus().consumer(Addresses.EVENTS_RESYNC, m -> Resyncs.handle(m.body(), liveOrder));
    tickTimer = vertx.setPeriodic(TICK_MS, id -> tick());
    sweepTimer = vertx.setPeriodic(SHARD_SWEEP_MS, id -> {
      hub.releaseIdleShards();
      liveOrder.retain(hub::holds);
    });
    return Future.all(remoteCommands.completion(), resyncs.completion()).mapEmpty();
  }

  /** Stops what {@link #attach} started and stops listening to broadcasts. */
  public Future<Void> detach() {
    if (slowDrain != null) {
      // The shutdown ran out of time: whoever is left goes now.
      slowDrain.finish();
    }
    engines.remove("", this);
    if (vertx != null) {
      vertx.cancelTimer(tickTimer);
      vertx.cancelTimer(sweepTimer);
    }
    Future<?> gone = remoteCommands == null ? Future.succeededFuture() : Future.all(remoteCommands.unregister(), resyncs.unregister());
    return hub.close().compose(v -> gone).mapEmpty();
  }

  public SessionOptions options() {
    return options;
  }

  public Hub hub() {
    return hub;
  }

  public EngineStats stats() {
    return stats;
  }

  public int sessionCount() {
    return registry.size();
  }

  long now() {
    return clock.getAsLong();
  }

  // ---- the life of a session ------------------------------------------------------------------

  /**
   * Registers a session on a freshly opened transport speaking {@code protocol}; its inbound
   * frames wait (the transport is paused) until {@link #start} has authenticated it.
   */
  public Session open(Transport transport, WireProtocol protocol, String sid, RequestInfo request) {
    Session s = new Session(this, transport, protocol, sid, request);
    Trace.log(LOG, Level.FINE, sid, () -> "connection opened (" + protocol.name() + ")");
    registry.opened(s);
    heartbeats.configure(s);
    s.busy(true);
    return s;
  }

  /**
   * Authenticates a session (restore, JWT, public, then the controller), then starts reading.
   * Completes once authentication is over, whatever its outcome; for a protocol that
   * {@link WireProtocol#connectsOnFirstFrame() connects on its first frame}, at once: the session
   * reads that frame and authenticates then.
   */
  public Future<Void> start(Session s) {
    if (s.protocol().connectsOnFirstFrame()) {
      // Authenticated on the first frame (see connectFirst): read it now. A client that never sends
      // it holds a session that runs nothing, and no admission slot.
      s.awaitFirstFrame(true);
      s.busy(false);
      return Future.succeededFuture();
    }
    return authenticator.authenticate(s).onComplete(ar -> {
      s.busy(false);
      commands.drain(s);
    });
  }

  /**
   * Starts a session its transport admits without authentication (Durable Streams with
   * {@code --ds_skip_auth}): connected as {@code identifiers}, with no RPC call, no JWT check and
   * no welcome, then reading commands like any other.
   */
  public void startAs(Session s, String identifiers) {
    s.authenticated(identifiers, Map.of(), false);
    registry.identified(s);
    s.busy(false);
    commands.drain(s);
  }

  /** One inbound frame: decoded by the session's protocol, its commands run in order. */
  public void onFrame(Session s, byte[] frame) {
    if (s.ending()) {
      return;
    }
    stats.bytesReceived += frame.length;
    if (s.awaitingFirstFrame()) {
      connectFirst(s, frame);
      return;
    }
    try {
      s.protocol().decode(frame, cmd -> {
        heartbeats.heard(s);
        commands.dispatch(s, cmd);
      });
    } catch (ProtocolException e) {
      // anycable-go stops reading here and leaves the socket half-dead; we drop the frame instead.
      stats.failedClientMessages++;
      Trace.log(LOG, Level.FINE, s.sid(), () -> "malformed frame: " + e.getMessage());
    }
  }

  /**
   * The first frame of a session whose protocol {@link WireProtocol#connectsOnFirstFrame() connects on
   * it}: the protocol completes the request from it, then the session authenticates as at a
   * handshake. Frames read meanwhile wait as commands do while one runs.
   */
  private void connectFirst(Session s, byte[] frame) {
    RequestInfo request;
    try {
      request = s.protocol().connectFrame(frame, s.request());
    } catch (ProtocolException e) {
      stats.failedClientMessages++;
      Trace.log(LOG, Level.FINE, s.sid(), () -> "refused first frame: " + e.getMessage());
      s.close(1002, "Protocol Error");
      return;
    }
    s.awaitFirstFrame(false);
    s.request(request);
    s.busy(true);
    authenticator.authenticate(s).onComplete(ar -> {
      s.busy(false);
      commands.drain(s);
    });
  }

  /**
   * A command a transport built itself rather than decoded from a frame (an SSE subscription taken
   * from the URL, a line of a long-poll body): run in order with the session's other commands.
   */
  public void command(Session s, ClientCommand cmd) {
    if (s.ending()) {
      return;
    }
    heartbeats.heard(s);
    commands.dispatch(s, cmd);
    s.settleIfIdle();
  }

  /**
   * Completes once every command given so far has run and its replies were handed to the
   * transport (or the session ended): an HTTP transport answers its request's status then.
   */
  public Future<Void> settled(Session s) {
    return s.whenSettled();
  }

  /** A transport-level pong (WebSocket pong frame) answers a pending ping. */
  public void onNativePong(Session s) {
    heartbeats.heard(s);
  }

  /** The transport closed, whoever started it. */
  public void onClosed(Session s) {
    if (s.closed()) {
      return;
    }
    Trace.log(LOG, Level.FINE, s.sid(), () -> "connection closed");
    if (s.busy()) {
      // Authentication or a command is under way: a call still waiting for an RPC slot can go.
      controller.cancel(s);
    }
    // The last snapshot of a resumable session, as it closes.
    resumption.commit(s);
    s.markClosed();
    s.settleIfIdle();
    registry.closed(s);
    presence.closed(s);
    if (drained != null && registry.isEmpty()) {
      drained.tryComplete();
    }
    heartbeats.cancel(s);
    for (Subscription sub : s.subscriptions()) {
      for (String stream : sub.streams) {
        hub.unsubscribe(s, sub.identifier, stream);
      }
    }
    if (s.connected() && wantsDisconnect(s)) {
      controller.disconnect(s);
    }
  }

  /** anycable-go's disconnect_mode: auto calls only for sessions the application showed interest in. */
  private boolean wantsDisconnect(Session s) {
    return switch (options.disconnectMode()) {
      case "always" -> true;
      case "auto" -> s.disconnectable();
      default -> false;
    };
  }

  // ---- broadcasts and remote commands ---------------------------------------------------------

  private boolean broadcastLocally(StreamBroadcast m) {
    // Counted only for streams with local subscribers, as anycable-go does with a broker, and
    // once per process: by the first engine holding the stream.
    if (!hub.broadcast(m)) {
      return false;
    }
    if (hub.firstFor(m.getStream())) {
      stats.broadcasts++;
    }
    metrics.delivered(m);
    return true;
  }

  /** A command for every engine ({@code cable.events.command}): remote disconnects. */
  public void remoteCommand(RemoteCommand cmd) {
    if (engines.first("", this)) {
      // Every engine of the process gets the command; one counts it.
      stats.remoteCommands++;
    }
    if (cmd.hasDisconnect()) {
      // anycable-go 1.6.16 closes only one matching session per node; every match is closed here.
      for (Session s : registry.byIdentifiers(cmd.getDisconnect().getIdentifiers())) {
        s.disconnect(DisconnectReason.REMOTE, cmd.getDisconnect().getReconnect(), 1000, "Closed remotely");
      }
    }
  }

  // ---- timers ---------------------------------------------------------------------------------

  /** Advances the timer wheel and the presence keep-alive ({@link #attach} calls it every 50 ms). */
  public void tick() {
    heartbeats.tick();
    presence.tick();
  }

  void watchWrites(Session s) {
    heartbeats.watchWrites(s);
  }

  void onTimer(Session s, long now) {
    heartbeats.onTimer(s, now);
  }

  void tooSlow(Session s) {
    stats.slowClients++;
    Trace.log(LOG, Level.FINE, s.sid(), () -> "too slow: " + s.pendingBytes() + " bytes pending");
    s.disconnect(DisconnectReason.TOO_SLOW, true, 1000, "");
  }

  void writeFailed(Session s) {
    Trace.log(LOG, Level.FINE, s.sid(), () -> "write failed or stalled");
    s.terminate();
  }

  // ---- shutdown -------------------------------------------------------------------------------

  /** Tells every session the server restarts and closes it; completes when all are closed. */
  public Future<Void> shutdown() {
    return shutdown(0);
  }

  /**
   * Tells every session the server restarts and closes it, all at once, or one after another over
   * {@code drainPeriodMs} when it is positive ({@code --shutdown_slowdrain}, {@link SlowDrain});
   * completes when all are closed.
   */
  public Future<Void> shutdown(long drainPeriodMs) {
    drained = Promise.promise();
    slowDrain = SlowDrain.sayGoodbye(vertx, registry.all(), drainPeriodMs);
    if (registry.isEmpty()) {
      drained.tryComplete();
    }
    return drained.future();
  }

  /** The slow drain period for a shutdown timeout: the timeout less a reserve for the last RPC calls. */
  public static long drainPeriodMs(int shutdownTimeoutSeconds) {
    return SlowDrain.period(Math.max(1, shutdownTimeoutSeconds) * 1000L);
  }
}
