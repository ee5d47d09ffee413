package io.vxcable.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Trace;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.session.spi.HubSubscriber;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.Transport;
import io.vxcable.session.spi.WireProtocol;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection: its identity, subscriptions and state, and its bounded write path. Owned
 * by one engine's event loop. The engine's parts change it through the methods below; the byte
 * accounting that makes slow clients visible lives here, so memory per connection stays bounded
 * whatever the client does.
 */
public final class Session extends TimerWheel.Entry implements HubSubscriber {

  private static final Logger LOG = Logger.getLogger(Session.class.getName());

  private final String sid;
  private final WireProtocol protocol;
  private RequestInfo request;
  /** Authentication waits for the first frame ({@link WireProtocol#connectsOnFirstFrame()}). */
  private boolean awaitingFirstFrame;
  private final Transport transport;
  private final SessionEngine engine;

  private String identifiers;
  private boolean connected;
  private boolean closing;
  private boolean closed;
  private boolean disconnectable;
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>(4);
  private Map<String, String> cstate;
  /** Subscriptions whose live broadcasts wait for a history replay; null when none ({@link LiveGates}). */
  LiveGates gates;
  /** Presence streams this session joined; null until the first join ({@link PresenceCommands}). */
  List<String> presenceStreams;
  /** How many snapshots of this session were sent to the broker: only the newest is ever sent again ({@link BrokerClient}). */
  int snapshots;

  // Command order: while one command waits, later ones wait here.
  private boolean busy;
  private ArrayDeque<ClientCommand> backlog;
  /** Completed when no command runs or waits (see {@link SessionEngine#settled}); null until asked. */
  private Promise<Void> settled;

  // Heartbeats, in the engine clock's milliseconds; 0 = not armed.
  long pingIntervalMs;
  int pingPrecision;
  long pingDue;
  long pongDeadline;

  // Bytes handed to the transport and not yet written.
  private long pendingBytes;
  private long pendingSince;

  Session(SessionEngine engine, Transport transport, WireProtocol protocol, String sid, RequestInfo request) {
    this.engine = engine;
    this.transport = transport;
    this.protocol = protocol;
    this.sid = sid;
    this.request = request;
  }

  // ---- identity -------------------------------------------------------------------------------

  @Override
  public String sid() {
    return sid;
  }

  @Override
  public WireProtocol protocol() {
    return protocol;
  }

  /** AnyCable's extended protocol (resumable, stream positions, pongs required). */
  public boolean extended() {
    return protocol.extended();
  }

  public RequestInfo request() {
    return request;
  }

  boolean awaitingFirstFrame() {
    return awaitingFirstFrame;
  }

  void awaitFirstFrame(boolean value) {
    awaitingFirstFrame = value;
  }

  /** The request as the first frame completed it; authentication uses it from now on. */
  void request(RequestInfo completed) {
    request = completed;
  }

  SessionEngine engine() {
    return engine;
  }

  Transport transport() {
    return transport;
  }

  /** The connection identifiers the application (or JWT) gave; null until authenticated. */
  public String identifiers() {
    return identifiers;
  }

  public boolean connected() {
    return connected;
  }

  public boolean closed() {
    return closed;
  }

  /** Closing or closed: nothing more is sent and no command runs. */
  boolean ending() {
    return closing || closed;
  }

  boolean disconnectable() {
    return disconnectable;
  }

  /** Authenticated: identifiers, connection state, and whether the application wants Disconnect. */
  void authenticated(String identifiers, Map<String, String> cstate, boolean disconnectInterest) {
    this.identifiers = identifiers;
    this.connected = true;
    this.disconnectable |= disconnectInterest;
    mergeConnectionState(cstate);
  }

  void interestedInDisconnect(boolean interest) {
    disconnectable |= interest;
  }

  void markClosed() {
    closed = true;
  }

  // ---- state ----------------------------------------------------------------------------------

  public Map<String, String> cstate() {
    return cstate == null ? Map.of() : cstate;
  }

  /** The channel state of one subscription (empty when unknown). */
  public Map<String, String> istate(String identifier) {
    Subscription sub = subscriptions.get(identifier);
    return sub == null ? Map.of() : sub.istate();
  }

  void mergeConnectionState(Map<String, String> changes) {
    cstate = StateMaps.merge(cstate, changes);
  }

  /** The subscriptions, in the order they were made. */
  public Collection<Subscription> subscriptions() {
    return subscriptions.values();
  }

  public Subscription subscription(String identifier) {
    return subscriptions.get(identifier);
  }

  int subscriptionCount() {
    return subscriptions.size();
  }

  Subscription addSubscription(String identifier) {
    Subscription sub = new Subscription(identifier);
    subscriptions.put(identifier, sub);
    return sub;
  }

  Subscription removeSubscription(String identifier) {
    LiveGates.drop(this, identifier);
    return subscriptions.remove(identifier);
  }

  // ---- command order --------------------------------------------------------------------------

  boolean busy() {
    return busy;
  }

  /** While busy the transport is paused: the client feels TCP backpressure, the server holds little. */
  void busy(boolean value) {
    busy = value;
    if (value) {
      transport.pause();
    } else if (!ending()) {
      transport.resume();
    }
  }

  void queue(ClientCommand command) {
    if (backlog == null) {
      backlog = new ArrayDeque<>(2);
    }
    backlog.add(command);
  }

  /** The next command that waited, or null. */
  ClientCommand nextQueued() {
    return backlog == null ? null : backlog.poll();
  }

  /** Completes once no command runs or waits, or the session ended. */
  Future<Void> whenSettled() {
    if (settled == null) {
      settled = Promise.promise();
    }
    Future<Void> f = settled.future();
    settleIfIdle();
    return f;
  }

  /** Completes {@link #whenSettled} when nothing runs or waits (called after every command step). */
  void settleIfIdle() {
    if (settled != null && (closed || ending() || !busy && (backlog == null || backlog.isEmpty()))) {
      Promise<Void> p = settled;
      settled = null;
      p.tryComplete();
    }
  }

  // ---- writing --------------------------------------------------------------------------------

  /** Sends a reply (subject to the slow-client check). */
  public void send(Reply reply) {
    byte[] frame = protocol.encode(reply);
    if (frame == null) {
      // Nothing to say in this encoding (a binary one given non-JSON, OCPP given a welcome): skipped.
      Trace.log(LOG, Level.FINE, sid, () -> protocol + " cannot encode " + reply + "; not sent");
      return;
    }
    sendFrame(frame);
  }

  @Override
  public void deliver(String identifier, StreamBroadcast broadcast, byte[] frame) {
    if (gates == null || !gates.intercept(identifier, broadcast, frame)) {
      sendFrame(frame);
    }
    LiveGates.forgetIdle(this);
  }

  /**
   * Queues a frame unless the client is too slow: when the bytes written but not yet flushed to the
   * socket reach {@code ws_max_pending_size}, the session is closed with {@code too_slow} instead.
   */
  void sendFrame(byte[] frame) {
    if (ending()) {
      return;
    }
    long max = engine.options().maxPendingSize();
    if (max > 0 && pendingBytes >= max) {
      engine.tooSlow(this);
      return;
    }
    write(frame);
  }

  /** Writes without the slow-client check (disconnect notices, pings). */
  void write(byte[] frame) {
    if (closed) {
      return;
    }
    int length = frame.length;
    engine.stats().wrote(length);
    pendingBytes += length;
    transport.writeFrame(frame, protocol.binary(), ok -> onWritten(length, ok));
    // Watched for the write timeout only when something is still unwritten: a frame the socket
    // took at once (the transport said so before returning) costs no timer.
    if (pendingBytes > 0 && pendingSince == 0) {
      pendingSince = engine.now();
      engine.watchWrites(this);
    }
  }

  /**
   * Counts a control frame the transport writes on its own (a pong) like a message: it waits in
   * the same socket buffer. False when the client is already too slow (it is being disconnected
   * and the frame must not be written); otherwise call {@link #releaseControl} once written.
   */
  public boolean reserveControl(int length) {
    if (ending()) {
      return false;
    }
    long max = engine.options().maxPendingSize();
    if (max > 0 && pendingBytes >= max) {
      engine.tooSlow(this);
      return false;
    }
    queued(length);
    return true;
  }

  /** A control frame counted by {@link #reserveControl} was written ({@code ok}) or failed. */
  public void releaseControl(int length, boolean ok) {
    onWritten(length, ok);
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /** When the oldest unwritten byte was queued (engine clock); 0 when nothing waits. */
  long pendingSince() {
    return pendingSince;
  }

  private void queued(int length) {
    if (pendingBytes == 0) {
      pendingSince = engine.now();
      engine.watchWrites(this);
    }
    pendingBytes += length;
  }

  private void onWritten(int length, boolean ok) {
    pendingBytes -= length;
    pendingSince = pendingBytes == 0 ? 0 : engine.now();
    if (!ok && !closed) {
      engine.stats().failedWrites++;
      engine.writeFailed(this);
    }
  }

  // ---- ending ---------------------------------------------------------------------------------

  /** Sends {@code {"type":"disconnect",...}} and closes with the given code. */
  public void disconnect(String reason, boolean reconnect, int code, String closeReason) {
    if (ending()) {
      return;
    }
    byte[] notice = protocol.encode(new Reply.Disconnect(reason, reconnect));
    if (notice != null) {
      // A protocol without a disconnect message (OCPP) just sees the close.
      write(notice);
    }
    closing = true;
    closeTransport(code, closeReason);
  }

  /** Closes with no message. */
  public void close(int code, String closeReason) {
    if (ending()) {
      return;
    }
    closing = true;
    closeTransport(code, closeReason);
  }

  /** The close in the protocol's terms ({@link WireProtocol#close}). */
  private void closeTransport(int code, String closeReason) {
    WireProtocol.Close c = protocol.close(code, closeReason);
    if (c == null) {
      transport.close(code, closeReason);
    } else {
      transport.close(c.code(), c.reason());
    }
  }

  /** Drops the connection after a failed or stalled write. */
  void terminate() {
    if (!closed) {
      closing = true;
      transport.terminate();
    }
  }

  @Override
  void onTimer(long now) {
    engine.onTimer(this, now);
  }

  @Override
  public String toString() {
    return sid;
  }
}
