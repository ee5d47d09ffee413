package io.vxcable.pusher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Pusher protocol 7 (no sub-protocol) over the engine's {@code $pusher} channel. This shared
 * instance encodes broadcasts, once per channel: a message {@code {"event":..,"data":..}} (an HTTP
 * API trigger, a client event) becomes {@code {"event":..,"channel":..,"data":..}}, a presence
 * event becomes {@code pusher_internal:member_added} or {@code member_removed}; a message without
 * an {@code event} is not sent. Each connection is served by a {@link PusherConnection} made by
 * {@link #forConnection}, which knows its channels.
 *
 * <p>Sessions are accepted as they connect ({@link #anonymous()}) with a socket id shaped
 * {@code 1234.5678} ({@code X-Request-ID} when it has that shape), and get no server pings: Pusher
 * clients ping after {@code activity_timeout} seconds of silence.
 */
public final class PusherProtocol implements WireProtocol {

  static final String CONNECTION_ESTABLISHED = "pusher:connection_established";
  static final String SUBSCRIPTION_SUCCEEDED = "pusher_internal:subscription_succeeded";
  static final String MEMBER_ADDED = "pusher_internal:member_added";
  static final String MEMBER_REMOVED = "pusher_internal:member_removed";
  static final String ERROR = "pusher:error";
  /** Pusher's error codes: do not reconnect as it is, and reconnect after a while. */
  static final int UNAUTHORIZED = 4009;
  static final int GENERIC = 4200;

  private static final Pattern SOCKET_ID = Pattern.compile("^\\d+\\.\\d+$");
  private static final Object NOT_AN_EVENT = new Object();

  private final int activityTimeout;

  /** @param activityTimeout the {@code activity_timeout} told to clients (seconds) */
  public PusherProtocol(int activityTimeout) {
    this.activityTimeout = activityTimeout;
  }

  int activityTimeout() {
    return activityTimeout;
  }

  @Override
  public String name() {
    return null;
  }

  @Override
  public boolean extended() {
    return false;
  }

  @Override
  public boolean binary() {
    return false;
  }

  @Override
  public boolean pings() {
    return false;
  }

  @Override
  public boolean anonymous() {
    return true;
  }

  /** The proposal when it is a Pusher socket id, else {@code <unix seconds>.<0..999999>}. */
  @Override
  public String sessionId(String proposed) {
    if (proposed != null && SOCKET_ID.matcher(proposed).matches()) {
      return proposed;
    }
    return System.currentTimeMillis() / 1000 + "." + ThreadLocalRandom.current().nextInt(1_000_000);
  }

  @Override
  public WireProtocol forConnection(RequestInfo request) {
    return new PusherConnection(this);
  }

  /** The shared instance has no connection: connections decode (see {@link PusherConnection}). */
  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    throw new ProtocolException("a Pusher frame needs a connection");
  }

  @Override
  public byte[] encode(Reply reply) {
    return null;
  }

  /** The broadcast's JSON object, parsed once for every channel. */
  @Override
  public Object payload(StreamBroadcast broadcast) {
    try {
      return new JsonObject(Buffer.buffer(broadcast.getMessage().toByteArray()));
    } catch (RuntimeException e) {
      return NOT_AN_EVENT;
    }
  }

  /**
   * The encoder of one subscription's channel. A presence subscription's identifier names its
   * member ({@code channel_data}): that member's own arrival and departure are not told to it, as
   * Pusher does not.
   */
  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    String channel = channelOf(identifier);
    String self = memberOf(identifier);
    return (broadcast, payload) -> {
      if (channel == null || !(payload instanceof JsonObject m)) {
        return null;
      }
      if ("presence".equals(broadcast.getBroadcastType())) {
        return self != null && self.equals(String.valueOf(m.getValue("id"))) ? null : member(channel, m);
      }
      Object event = m.getValue("event");
      if (!(event instanceof String name)) {
        return null;
      }
      return frame(new JsonObject().put("event", name).put("channel", channel).put("data", m.getValue("data")));
    };
  }

  /** {@code member_added} with the member's id and info, or {@code member_removed}; data as a string. */
  private static byte[] member(String channel, JsonObject event) {
    Object id = event.getValue("id");
    if (id == null) {
      return null;
    }
    JsonObject data = new JsonObject().put("user_id", String.valueOf(id));
    boolean join = "join".equals(event.getValue("type"));
    if (join) {
      data.put("user_info", event.getValue("info"));
    }
    return frame(new JsonObject().put("event", join ? MEMBER_ADDED : MEMBER_REMOVED)
        .put("data", data.encode()).put("channel", channel));
  }

  /** The Pusher channel of a {@code $pusher} identifier; null when it is none. */
  static String channelOf(String identifier) {
    try {
      Object stream = new JsonObject(identifier).getValue("stream");
      return stream instanceof String s ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The {@code user_id} of a presence identifier's {@code channel_data}; null when none. */
  static String memberOf(String identifier) {
    try {
      Object data = new JsonObject(identifier).getValue("channel_data");
      Object user = data instanceof String d ? new JsonObject(d).getValue("user_id") : null;
      return user == null ? null : String.valueOf(user);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static byte[] frame(JsonObject message) {
    return message.encode().getBytes(StandardCharsets.UTF_8);
  }
}
