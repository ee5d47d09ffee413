package io.vxcable.gateway;

import io.vxcable.protocol.Replies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client connection: identity, subscriptions, state, and its bounded write path. All fields are
 * owned by the node's event loop. The protocol logic lives in {@link Node}; this class keeps the
 * per-connection data small and does the byte accounting that makes slow clients visible.
 */
public final class Session extends TimerWheel.Entry {

  static final int PRECISION_S = 0;
  static final int PRECISION_MS = 1;
  static final int PRECISION_NS = 2;

  final String sid;
  final boolean ext;
  final RequestInfo request;
  final Transport transport;
  private final Node node;

  String identifiers;
  boolean connected;
  boolean closing;
  boolean closed;
  boolean disconnectable;
  final Map<String, Subscription> subscriptions = new LinkedHashMap<>(4);
  private Map<String, String> cstate;

  // Timers, in the node clock's milliseconds; 0 = not armed.
  long pingIntervalMs;
  int pingPrecision;
  long pingDue;
  long pongDeadline;
  long pendingSince;

  long pendingBytes;
  boolean busy;
  ArrayDeque<String> backlog;
  /** Presence streams this session joined; null until the first join. */
  private java.util.List<String> presenceStreams;

  Session(Node node, Transport transport, String sid, boolean ext, RequestInfo request) {
    this.node = node;
    this.transport = transport;
    this.sid = sid;
    this.ext = ext;
    this.request = request;
  }

  boolean inPresence(String stream) {
    return presenceStreams != null && presenceStreams.contains(stream);
  }

  void joinedPresence(String stream) {
    if (presenceStreams == null) {
      presenceStreams = new java.util.ArrayList<>(1);
    }
    if (!presenceStreams.contains(stream)) {
      presenceStreams.add(stream);
    }
  }

  /** Forgets a presence stream; true when the session holds no presence any more. */
  boolean leftPresence(String stream) {
    if (presenceStreams != null) {
      presenceStreams.remove(stream);
    }
    return presenceStreams == null || presenceStreams.isEmpty();
  }

  public String sid() {
    return sid;
  }

  public String identifiers() {
    return identifiers;
  }

  public RequestInfo request() {
    return request;
  }

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

  /** Sends a protocol frame (replies, transmissions). */
  void send(String frame) {
    sendFrame(frame.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Queues a frame unless the client is too slow: when the bytes written but not yet flushed to the
   * socket reach {@code ws_max_pending_size}, the session is closed with {@code too_slow} instead,
   * so memory per connection stays bounded whatever the client does.
   */
  void sendFrame(byte[] frame) {
    if (closing || closed) {
      return;
    }
    long max = node.maxPendingSize();
    if (max > 0 && pendingBytes >= max) {
      node.tooSlow(this);
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
    queued(length);
    transport.writeFrame(frame, ok -> onWritten(length, ok));
  }

  /**
   * Counts a control frame the transport writes on its own (a pong) like a message: it waits in
   * the same socket buffer. False when the client is already too slow (it is being disconnected
   * and the frame must not be written); otherwise call {@link #releaseControl} once written.
   */
  boolean reserveControl(int length) {
    if (closing || closed) {
      return false;
    }
    long max = node.maxPendingSize();
    if (max > 0 && pendingBytes >= max) {
      node.tooSlow(this);
      return false;
    }
    queued(length);
    return true;
  }

  /** A control frame counted by {@link #reserveControl} was written ({@code ok}) or failed. */
  void releaseControl(int length, boolean ok) {
    onWritten(length, ok);
  }

  private void queued(int length) {
    if (pendingBytes == 0) {
      pendingSince = node.now();
      node.watchWrites(this);
    }
    pendingBytes += length;
  }

  private void onWritten(int length, boolean ok) {
    pendingBytes -= length;
    pendingSince = pendingBytes == 0 ? 0 : node.now();
    if (!ok && !closed) {
      node.writeFailed(this);
    }
  }

  /** Sends {@code {"type":"disconnect",...}} and closes with the given code. */
  void disconnect(String reason, boolean reconnect, int code, String closeReason) {
    if (closing || closed) {
      return;
    }
    write(Replies.disconnect(reason, reconnect).getBytes(StandardCharsets.UTF_8));
    closing = true;
    transport.close(code, closeReason);
  }

  /** Closes with no message. */
  void close(int code, String closeReason) {
    if (closing || closed) {
      return;
    }
    closing = true;
    transport.close(code, closeReason);
  }

  @Override
  void onTimer(long now) {
    node.onTimer(this, now);
  }
}
