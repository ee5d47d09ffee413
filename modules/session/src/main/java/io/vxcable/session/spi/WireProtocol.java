package io.vxcable.session.spi;

import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.RequestInfo;
import java.util.function.Consumer;

/**
 * Responsible for one encoding of the Action Cable conversation: turning a client's frames into
 * {@link ClientCommand}s and the server's {@link Reply replies} and broadcasts into frames.
 * Implementations are stateless and shared by every session and event loop (thread-safe); the
 * session engine never sees an encoded byte. A new encoding (msgpack, protobuf) or a translated
 * protocol (a custom pub/sub wire format) is a new implementation; nothing else changes.
 *
 * <p>Every method is called on the session's event loop; none may block.
 */
public interface WireProtocol {

  /**
   * The WebSocket sub-protocol this encoding answers to ({@code actioncable-v1-json}), or null
   * for a protocol served on a path of its own that needs none.
   */
  String name();

  /**
   * AnyCable's extended protocol: the session has a {@code sid} the client can resume with,
   * broadcasts carry stream positions, history is served, and a client must answer pings when a
   * pong timeout is set.
   */
  boolean extended();

  /** Whether frames are binary (WebSocket binary frames); text otherwise. */
  boolean binary();

  /**
   * Decodes one inbound frame into the commands it carries, in order, handing each to {@code out}.
   *
   * @param frame the frame's payload (text frames as UTF-8)
   * @throws ProtocolException when the frame is malformed: it is dropped and counted, the
   *     connection stays (anycable-go stops reading it)
   */
  void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException;

  /**
   * Encodes a reply as one frame, or returns null when this encoding cannot carry it (a binary
   * encoding given a {@link Reply.Transmission} that is not JSON): the session then sends nothing,
   * as anycable-go skips a message it fails to encode.
   */
  byte[] encode(Reply reply);

  /**
   * The broadcast encoder for one subscription identifier, kept by the hub for as long as a
   * session listens under it: whatever can be computed once per identifier is computed here.
   */
  BroadcastEncoder broadcasts(String identifier);

  /**
   * The message of a broadcast in this encoding's own form, computed once per broadcast and
   * shared by every identifier's encoder (the intake validated it as JSON; a binary encoding
   * converts it here once). Returns an opaque value for {@link BroadcastEncoder#encode}.
   */
  Object payload(StreamBroadcast broadcast);

  /**
   * The protocol whose broadcast frames this one shares, byte for byte: the hub encodes a broadcast
   * once per format, so plain and extended sessions of one encoding share their frames. Itself
   * unless an implementation says otherwise.
   */
  default WireProtocol broadcastFormat() {
    return this;
  }

  /**
   * The protocol that serves one connection, chosen once its handshake is known: itself by default.
   * A protocol whose frames depend on the connection (OCPP's station id, the calls waiting for an
   * answer) returns an instance of its own here; that instance runs on the session's event loop only,
   * so it may keep the connection's state, and its {@link #broadcastFormat()} should be the shared
   * instance so that broadcasts are still encoded once per identifier.
   */
  default WireProtocol forConnection(RequestInfo request) {
    return this;
  }

  /**
   * The id of a new session, from the one its handshake proposes ({@code X-Request-ID}, else a
   * random id): the proposal by default. Pusher clients need socket ids shaped {@code 1234.5678}.
   */
  default String sessionId(String proposed) {
    return proposed;
  }

  /**
   * Whether sessions of this protocol are accepted as soon as they connect, with identifiers
   * {@code {"sid":"<sid>"}} (as with {@code --noauth}, whatever the server's authentication): false
   * by default. Pusher authorises channels with signatures, never connections.
   */
  default boolean anonymous() {
    return false;
  }

  /**
   * Whether the engine writes its own {@code ping} frames ({@link Reply.Ping}) to sessions of this
   * protocol: true by default. A protocol whose clients keep the heartbeat themselves (OCPP's
   * {@code Heartbeat} calls) says false; WebSocket-level pings ({@code --enable_native_pings}) are
   * still sent.
   */
  default boolean pings() {
    return true;
  }

  /**
   * The instance whose {@link Reply.Ping} frames this one shares: the engine encodes a ping once per
   * such instance and clock unit. Itself by default; a connection's own instance
   * ({@link #forConnection}) returns the shared one, so that pings are not cached per connection.
   */
  default WireProtocol pingFormat() {
    return this;
  }

  /**
   * Whether a session authenticates on its client's first frame rather than at the handshake:
   * false by default. A protocol whose client sends its credentials in a message (Apollo's
   * {@code connection_init}, whose payload the application reads as a header) says true: the
   * engine reads one frame, hands it to {@link #connectFrame}, then authenticates with the request
   * that returns (JWT, {@code --noauth}, or the application's Connect) and runs later frames after
   * that, as usual.
   */
  default boolean connectsOnFirstFrame() {
    return false;
  }

  /**
   * The first frame of a session that {@link #connectsOnFirstFrame()}: returns the request to
   * authenticate with, usually {@code handshake} with what the frame adds (a header, a token).
   *
   * @throws ProtocolException when the frame does not open the conversation: the session is closed
   *     (code 1002, or what {@link #close} makes of it) without authenticating
   */
  default RequestInfo connectFrame(byte[] frame, RequestInfo handshake) throws ProtocolException {
    return handshake;
  }

  /**
   * A close the engine is about to make ({@code 1000 "Auth Failed"}, {@code 1001 "Server restart"},
   * {@code 1011 "Auth Error"}...) in this protocol's terms; null keeps the engine's code and reason.
   * graphql-ws closes a refused connection with 4403, for instance.
   */
  default Close close(int code, String reason) {
    return null;
  }

  /** A WebSocket close code and reason. */
  record Close(int code, String reason) {}

  /** Encodes broadcasts for one identifier. */
  interface BroadcastEncoder {
    /**
     * One data frame for {@code broadcast} ({@code type}, {@code identifier}, {@code message} and,
     * with a broker, {@code stream_id}, {@code epoch}, {@code offset}).
     *
     * @param payload what {@link #payload} returned for this broadcast
     * @return the frame, or null when this encoding has nothing to send for the broadcast (then
     *     no subscriber of the identifier gets one)
     */
    byte[] encode(StreamBroadcast broadcast, Object payload);
  }
}
