package io.vxcable.gateway;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.CommandParser;
import io.vxcable.protocol.DisconnectReason;
import io.vxcable.protocol.Jwt;
import io.vxcable.protocol.JwtResult;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.protocol.Replies;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protocol engine of one gateway instance: authenticates sessions (JWT, then public, then the
 * controller), runs their commands one at a time, applies command results to the hub, and drives
 * pings, pong deadlines and write stalls from one timer wheel. Everything runs on one event loop.
 */
final class Node {

  private static final Logger LOG = Logger.getLogger(Node.class.getName());
  private static final String PUBLIC_IDENTIFIERS = "{\"sid\":%s}";

  private final GatewayOptions options;
  private final Controller controller;
  private final EventBus bus;
  private final LongSupplier clock;
  private final TimerWheel wheel;
  private final Heartbeats heartbeats;
  private final Hub hub;
  private final Set<Session> sessions = new HashSet<>();
  private final NodeStats stats = new NodeStats();
  private final Resumption resumption;
  private final PresenceClient presence;
  /** Sessions holding presence somewhere: kept alive every presence_ttl / 2. */
  private final Set<Session> present = new HashSet<>();
  private final long presenceTouchMs;
  private long nextPresenceTouch;
  private io.vertx.core.Promise<Void> drained;

  Node(GatewayOptions options, Controller controller, EventBus bus, LongSupplier clock) {
    this.options = options;
    this.controller = controller;
    this.bus = bus;
    this.clock = clock;
    this.wheel = new TimerWheel(50, 2048, clock.getAsLong());
    this.heartbeats = new Heartbeats(options, wheel, clock, this::writeFailed);
    this.hub = new Hub(bus, this::broadcastLocally);
    this.resumption = new Resumption(options, new BrokerClient(bus), hub);
    this.presence = new PresenceClient(bus);
    this.presenceTouchMs = Math.max(1000L, options.presenceTtl() * 1000L / 2);
    this.nextPresenceTouch = clock.getAsLong() + presenceTouchMs;
  }

  long now() {
    return clock.getAsLong();
  }

  long maxPendingSize() {
    return options.maxPendingSize();
  }

  NodeStats stats() {
    return stats;
  }

  Hub hub() {
    return hub;
  }

  int sessionCount() {
    return sessions.size();
  }

  /** Registers a session on a freshly upgraded transport; its inbound frames wait for {@link #start}. */
  Session open(Transport transport, String sid, boolean ext, RequestInfo request) {
    Session s = new Session(this, transport, sid, ext, request);
    sessions.add(s);
    heartbeats.configure(s);
    transport.pause();
    s.busy = true;
    return s;
  }

  /** Authenticates a session (restore, JWT, public, then the controller) and starts reading. */
  void start(Session s) {
    String sid = s.sid;
    Transport transport = s.transport;
    authenticate(s).onComplete(ar -> {
      ConnectResult r = ar.succeeded() ? ar.result() : null;
      if (ar.failed()) {
        LOG.log(Level.FINE, "authentication error for " + sid, ar.cause());
      }
      applyConnect(s, r);
      s.busy = false;
      if (!s.closing && !s.closed) {
        transport.resume();
        drainBacklog(s);
      }
    });
  }

  private Future<ConnectResult> authenticate(Session s) {
    if (options.resumable() && s.ext && s.request.restoreSid() != null) {
      return resumption.restore(s).compose(result -> result == null ? identify(s) : Future.succeededFuture(result));
    }
    return identify(s);
  }

  private Future<ConnectResult> identify(Session s) {
    if (!options.jwtSecret().isEmpty()) {
      String token = s.request.jwtToken();
      if (token != null && !token.isEmpty()) {
        JwtResult r = Jwt.verify(token, options.jwtSecret(), System.currentTimeMillis() / 1000);
        switch (r.status()) {
          case EXPIRED:
            return Future.succeededFuture(
                ConnectResult.failure(Replies.disconnect(DisconnectReason.TOKEN_EXPIRED, false)));
          case INVALID:
            return Future.succeededFuture(
                ConnectResult.failure(Replies.disconnect(DisconnectReason.UNAUTHORIZED, false)));
          default:
            if (r.ext() == null) {
              return Future.failedFuture("JWT has no string ext claim");
            }
            return Future.succeededFuture(ConnectResult.success(r.ext(), Replies.welcome(s.sid)));
        }
      }
      if (options.enforceJwt()) {
        return Future.succeededFuture(ConnectResult.failure(Replies.disconnect(DisconnectReason.UNAUTHORIZED, false)));
      }
    }
    if (options.noauth()) {
      String ids = String.format(PUBLIC_IDENTIFIERS, io.vxcable.protocol.JsonText.quote(s.sid));
      return Future.succeededFuture(ConnectResult.success(ids, Replies.welcome(s.sid)));
    }
    return controller.connect(s);
  }

  private void applyConnect(Session s, ConnectResult r) {
    if (s.closed) {
      return;
    }
    if (r == null || r.status() == Status.ERROR) {
      s.close(1011, "Auth Error");
      return;
    }
    if (r.status() == Status.FAILURE) {
      stats.failedAuths++;
      r.transmissions().forEach(s::send);
      s.close(1000, "Auth Failed");
      return;
    }
    s.identifiers = r.identifiers();
    s.connected = true;
    s.disconnectable |= r.disconnectInterest();
    s.mergeConnectionState(r.cstate());
    hub.add(s);
    r.transmissions().forEach(s::send);
    commit(s);
  }

  private void commit(Session s) {
    resumption.commit(s);
  }

  /** One inbound frame. Commands of a session run one at a time, in order. */
  void onMessage(Session s, String frame) {
    if (s.closed || s.closing) {
      return;
    }
    if (s.busy) {
      if (s.backlog == null) {
        s.backlog = new ArrayDeque<>(2);
      }
      s.backlog.add(frame);
      return;
    }
    ClientCommand cmd;
    try {
      cmd = CommandParser.parse(frame);
    } catch (ProtocolException e) {
      // anycable-go stops reading here and leaves the socket half-dead; we drop the frame instead.
      stats.failedClientMessages++;
      LOG.fine(() -> "malformed frame from " + s.sid + ": " + e.getMessage());
      return;
    }
    stats.clientMessages++;
    s.pongDeadline = 0;
    String command = cmd.command() == null ? "" : cmd.command();
    String identifier = cmd.identifier() == null ? "" : cmd.identifier();
    switch (command) {
      case "subscribe" -> subscribe(s, identifier, cmd);
      case "unsubscribe" -> unsubscribe(s, identifier);
      case "message" -> perform(s, identifier, cmd);
      case "whisper" -> whisper(s, identifier, cmd);
      case "history" -> history(s, identifier, cmd);
      case "presence", "join", "leave" -> presence(s, identifier, command, cmd);
      case "ping" -> s.send(Replies.pong());
      case "pong" -> { }
      default -> commandFailed(s, "unknown command: " + command);
    }
  }

  private void subscribe(Session s, String identifier, ClientCommand cmd) {
    if (s.subscriptions.containsKey(identifier)) {
      commandFailed(s, "already subscribed: " + identifier);
      return;
    }
    if (options.maxSubscriptions() > 0 && s.subscriptions.size() >= options.maxSubscriptions()) {
      // A bounded session: the application is not asked, the client learns it like any rejection.
      s.send(Replies.rejectSubscription(identifier));
      commandFailed(s, "subscription limit of " + options.maxSubscriptions() + " reached: " + identifier);
      return;
    }
    run(s, controller.subscribe(s, identifier), r -> {
      s.disconnectable |= r.disconnectInterest();
      if (r.status() == Status.FAILURE) {
        r.transmissions().forEach(s::send);
        return Future.succeededFuture();
      }
      Subscription sub = new Subscription(identifier);
      s.subscriptions.put(identifier, sub);
      return applyCommand(s, sub, r).compose(v -> {
        commit(s);
        ClientCommand.HistoryRequest h = cmd.history();
        if (s.closed || h == null || (h.since() <= 0 && h.streams() == null)) {
          return Future.succeededFuture();
        }
        return history(s, identifier, h);
      }).compose(v -> {
        // anycable-go's order: confirmation, history, then the presence join.
        String stream = sub.state(StreamsRouter.PRESENCE_KEY);
        if (s.closed || cmd.presence() == null || stream == null) {
          return Future.succeededFuture();
        }
        return join(s, stream, cmd.presence().id(), cmd.presence().infoJson()).otherwiseEmpty();
      });
    });
  }

  private void unsubscribe(Session s, String identifier) {
    if (!s.subscriptions.containsKey(identifier)) {
      commandFailed(s, "unknown subscription: " + identifier);
      return;
    }
    run(s, controller.unsubscribe(s, identifier), r -> {
      Subscription sub = s.subscriptions.remove(identifier);
      if (sub != null) {
        for (String stream : sub.streams) {
          hub.unsubscribe(s, identifier, stream);
        }
        String presenceStream = sub.state(StreamsRouter.PRESENCE_KEY);
        if (presenceStream != null && s.inPresence(presenceStream)) {
          leave(s, presenceStream);
        }
      }
      s.mergeConnectionState(r.cstate());
      commit(s);
      return Future.succeededFuture();
    });
  }

  private void perform(Session s, String identifier, ClientCommand cmd) {
    Subscription sub = s.subscriptions.get(identifier);
    if (sub == null || cmd.dataString() == null) {
      commandFailed(s, sub == null ? "unknown subscription: " + identifier : "message data must be a string");
      return;
    }
    run(s, controller.perform(s, identifier, cmd.dataString()), r -> applyCommand(s, sub, r).onSuccess(v -> commit(s)));
  }

  private void whisper(Session s, String identifier, ClientCommand cmd) {
    Subscription sub = s.subscriptions.get(identifier);
    String stream = sub == null ? null : sub.state(StreamsRouter.WHISPER_KEY);
    if (stream == null) {
      return;
    }
    String data = cmd.dataJson() == null ? "null" : cmd.dataJson();
    StreamBroadcast m = StreamBroadcast.newBuilder()
        .setStream(stream)
        .setMessage(ByteString.copyFromUtf8(data))
        .setExcludeSocket(s.sid)
        .setTransient(true)
        .build();
    bus.publish(Addresses.broadcastAddress(stream), m);
  }

  private void history(Session s, String identifier, ClientCommand cmd) {
    ClientCommand.HistoryRequest h = cmd.history();
    if (!s.subscriptions.containsKey(identifier) || h == null || (h.since() <= 0 && h.streams() == null)) {
      commandFailed(s, "invalid history request for " + identifier);
      return;
    }
    run(s, Future.succeededFuture(h), req -> history(s, identifier, req));
  }

  private Future<Void> history(Session s, String identifier, ClientCommand.HistoryRequest h) {
    return resumption.history(s, identifier, h);
  }

  private void presence(Session s, String identifier, String command, ClientCommand cmd) {
    Subscription sub = s.subscriptions.get(identifier);
    String stream = sub == null ? null : sub.state(StreamsRouter.PRESENCE_KEY);
    if (stream == null) {
      commandFailed(s, command + " needs a presence-enabled subscription: " + identifier);
      return;
    }
    switch (command) {
      case "presence" -> {
        boolean records = returnRecords(cmd);
        // Without a presence verticle (no broker) the request fails: anycable-go's error reply.
        Future<String> reply = presence.info(stream).map(r -> presenceInfo(identifier, r, records))
            .otherwise(err -> Replies.presenceError(identifier));
        run(s, reply, frame -> {
          s.send(frame);
          return Future.succeededFuture();
        });
      }
      case "join" -> {
        if (cmd.presence() == null) {
          commandFailed(s, "join needs a presence object: " + identifier);
          return;
        }
        run(s, join(s, stream, cmd.presence().id(), cmd.presence().infoJson()), v -> Future.succeededFuture());
      }
      default -> run(s, leave(s, stream), v -> Future.succeededFuture());
    }
  }

  private static String presenceInfo(String identifier, io.vxcable.contracts.bus.PresenceInfoReply r, boolean withRecords) {
    if (!r.getKnown()) {
      return Replies.presenceInfo(identifier, 0, null);
    }
    List<String> records = null;
    if (withRecords) {
      records = new ArrayList<>(r.getRecordsCount());
      for (io.vxcable.contracts.bus.PresenceRecord rec : r.getRecordsList()) {
        records.add(Replies.presenceRecord(rec.getId(), rec.getInfo().isEmpty() ? null : rec.getInfo().toStringUtf8()));
      }
    }
    return Replies.presenceInfo(identifier, r.getRecordsCount(), records);
  }

  /** {@code data: {"return_records": false}} (an object or its JSON text) leaves the records out. */
  private static boolean returnRecords(ClientCommand cmd) {
    String data = cmd.dataString() != null ? cmd.dataString() : cmd.dataJson();
    if (data == null || data.isBlank()) {
      return true;
    }
    try {
      Object v = io.vertx.core.json.Json.decodeValue(data);
      return !(v instanceof io.vertx.core.json.JsonObject o) || !Boolean.FALSE.equals(o.getValue("return_records"));
    } catch (RuntimeException notJson) {
      return true;
    }
  }

  private Future<Void> join(Session s, String stream, String id, String infoJson) {
    return presence.join(stream, s.sid, id, infoJson).onSuccess(v -> {
      s.joinedPresence(stream);
      if (!s.closed) {
        present.add(s);
      }
    });
  }

  private Future<Void> leave(Session s, String stream) {
    return presence.leave(stream, s.sid).onSuccess(v -> {
      if (s.leftPresence(stream)) {
        present.remove(s);
      }
    });
  }

  /** The application's presence change for a subscription, applied after its transmissions. */
  private Future<Void> applyPresence(Session s, Subscription sub, CommandResult.PresenceChange change) {
    String stream = sub.state(StreamsRouter.PRESENCE_KEY);
    if (change == null || stream == null || s.closed) {
      return Future.succeededFuture();
    }
    Future<Void> done = change.join() ? join(s, stream, change.id(), change.infoJson()) : leave(s, stream);
    return done.otherwise(err -> {
      commandFailed(s, "presence " + (change.join() ? "join" : "leave") + ": " + err.getMessage());
      return null;
    });
  }

  /**
   * Applies a command result in anycable-go's order: stop streams, add streams (waiting until the
   * hub listens), merge state, then transmissions, then a requested disconnect.
   */
  private Future<Void> applyCommand(Session s, Subscription sub, CommandResult r) {
    if (r.status() == Status.ERROR) {
      return Future.succeededFuture();
    }
    if (r.stopStreams()) {
      for (String stream : sub.streams) {
        hub.unsubscribe(s, sub.identifier, stream);
      }
      sub.streams.clear();
    } else {
      for (String stream : r.stoppedStreams()) {
        if (sub.streams.remove(stream)) {
          hub.unsubscribe(s, sub.identifier, stream);
        }
      }
    }
    List<Future<Void>> listening = new ArrayList<>(r.streams().size());
    for (String stream : r.streams()) {
      if (!sub.streams.contains(stream)) {
        sub.streams.add(stream);
        listening.add(hub.subscribe(s, sub.identifier, stream));
      }
    }
    sub.mergeState(r.istate());
    s.mergeConnectionState(r.cstate());
    Future<Void> ready = listening.isEmpty() ? Future.succeededFuture() : Future.all(listening).mapEmpty();
    return ready.compose(v -> {
      r.transmissions().forEach(s::send);
      return applyPresence(s, sub, r.presence());
    }).map(v -> {
      if (r.disconnect()) {
        s.close(1000, "Command Failed");
      }
      return null;
    });
  }

  /** Runs an async command step, holding the session's later frames until it is done. */
  private <T> void run(Session s, Future<T> call, java.util.function.Function<T, Future<Void>> apply) {
    s.busy = true;
    s.transport.pause();
    call.compose(r -> s.closed ? Future.succeededFuture() : apply.apply(r)).onComplete(ar -> {
      if (ar.failed()) {
        commandFailed(s, "command error: " + ar.cause().getMessage());
      }
      s.busy = false;
      if (!s.closed && !s.closing) {
        s.transport.resume();
        drainBacklog(s);
      }
    });
  }

  private void drainBacklog(Session s) {
    while (!s.busy && s.backlog != null && !s.backlog.isEmpty()) {
      onMessage(s, s.backlog.poll());
    }
  }

  private void commandFailed(Session s, String why) {
    stats.failedClientMessages++;
    LOG.fine(() -> s.sid + ": " + why);
  }

  /** The transport closed, whoever started it. */
  void onClosed(Session s) {
    if (s.closed) {
      return;
    }
    commit(s);
    s.closed = true;
    sessions.remove(s);
    if (present.remove(s)) {
      // Its records stay for presence_ttl from now, then leave (a reconnecting client may rejoin first).
      presence.touch(List.of(s.sid));
    }
    if (drained != null && sessions.isEmpty()) {
      drained.tryComplete();
    }
    wheel.cancel(s);
    hub.remove(s);
    if (s.connected && wantsDisconnect(s)) {
      controller.disconnect(s);
    }
  }

  /** anycable-go's disconnect_mode: auto calls only for sessions the application showed interest in. */
  private boolean wantsDisconnect(Session s) {
    return switch (options.disconnectMode()) {
      case "always" -> true;
      case "auto" -> s.disconnectable;
      default -> false;
    };
  }

  // ---- broadcasts and remote commands -------------------------------------------------------

  private void broadcastLocally(StreamBroadcast m) {
    stats.broadcasts++;
    hub.broadcast(m);
  }

  void remoteCommand(RemoteCommand cmd) {
    if (cmd.hasDisconnect()) {
      // anycable-go 1.6.16 closes only one matching session per node; every match is closed here.
      for (Session s : hub.byIdentifiers(cmd.getDisconnect().getIdentifiers())) {
        s.disconnect(DisconnectReason.REMOTE, cmd.getDisconnect().getReconnect(), 1000, "Closed remotely");
      }
    }
  }

  // ---- timers: see Heartbeats ------------------------------------------------------------

  void tick() {
    heartbeats.tick();
    long now = clock.getAsLong();
    if (now >= nextPresenceTouch) {
      nextPresenceTouch = now + presenceTouchMs;
      if (!present.isEmpty()) {
        List<String> sids = new ArrayList<>(present.size());
        for (Session s : present) {
          sids.add(s.sid);
        }
        presence.touch(sids);
      }
    }
  }

  void watchWrites(Session s) {
    heartbeats.watchWrites(s);
  }

  void onTimer(Session s, long now) {
    heartbeats.onTimer(s, now);
  }

  void onNativePong(Session s) {
    s.pongDeadline = 0;
  }

  void tooSlow(Session s) {
    stats.slowClients++;
    LOG.fine(() -> s.sid + " is too slow: " + s.pendingBytes + " bytes pending");
    s.disconnect(DisconnectReason.TOO_SLOW, true, 1000, "");
  }

  void writeFailed(Session s) {
    LOG.fine(() -> s.sid + ": write failed or stalled");
    if (!s.closed) {
      s.closing = true;
      s.transport.terminate();
    }
  }

  // ---- shutdown -------------------------------------------------------------------------------

  /** Tells every session the server restarts and closes it; completes when all are closed. */
  Future<Void> shutdown() {
    drained = io.vertx.core.Promise.promise();
    List<Session> all = new ArrayList<>(sessions);
    for (Session s : all) {
      s.disconnect(DisconnectReason.SERVER_RESTART, true, 1001, "Server restart");
    }
    if (sessions.isEmpty()) {
      drained.tryComplete();
    }
    return drained.future();
  }

}
