package io.vxcable.pusher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Channels;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One Pusher client's connection: decodes its events into commands on the {@code $pusher} channel
 * and encodes the engine's replies as Pusher events. Runs on the session's event loop only, so it
 * keeps the client's channels (channel name to subscription identifier) without locks.
 *
 * <table>
 *   <caption>Client events</caption>
 *   <tr><td>{@code pusher:subscribe} {@code {channel, auth, channel_data}}</td><td>{@code subscribe}
 *       (the engine checks the signature); a presence channel is then asked for its members, whose
 *       answer becomes {@code subscription_succeeded}</td></tr>
 *   <tr><td>{@code pusher:unsubscribe} {@code {channel}}</td><td>{@code unsubscribe}</td></tr>
 *   <tr><td>{@code client-*} {@code {event, channel, data}}</td><td>a whisper of
 *       {@code {"event","data"}}: the other subscribers of a private or presence channel get it</td></tr>
 *   <tr><td>{@code pusher:ping}</td><td>{@code ping}, answered with {@code pusher:pong}</td></tr>
 *   <tr><td>{@code pusher:pong}</td><td>nothing</td></tr>
 * </table>
 *
 * Anything else is a protocol error (the frame is dropped).
 */
final class PusherConnection implements WireProtocol {

  private static final ClientCommand PING = new ClientCommand("ping", null, null, null, null, null);

  private final PusherProtocol shared;
  /** Channel name to the identifier it was subscribed with. */
  private final Map<String, String> channels = new HashMap<>();

  PusherConnection(PusherProtocol shared) {
    this.shared = shared;
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

  @Override
  public String sessionId(String proposed) {
    return shared.sessionId(proposed);
  }

  @Override
  public WireProtocol broadcastFormat() {
    return shared;
  }

  @Override
  public WireProtocol pingFormat() {
    return shared;
  }

  @Override
  public Object payload(StreamBroadcast broadcast) {
    return shared.payload(broadcast);
  }

  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    return shared.broadcasts(identifier);
  }

  /** The identifier this connection subscribed {@code channel} with; null when none. */
  String identifier(String channel) {
    return channels.get(channel);
  }

  // ---- client to server -----------------------------------------------------------------------

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    JsonObject message;
    try {
      message = new JsonObject(Buffer.buffer(frame));
    } catch (RuntimeException e) {
      throw new ProtocolException("a Pusher event must be a JSON object");
    }
    Object event = message.getValue("event");
    if (!(event instanceof String name)) {
      throw new ProtocolException("a Pusher event needs an event name");
    }
    switch (name) {
      case "pusher:ping" -> out.accept(PING);
      case "pusher:pong" -> { }
      case "pusher:subscribe" -> subscribe(data(message), out);
      case "pusher:unsubscribe" -> unsubscribe(data(message), out);
      default -> {
        if (!name.startsWith("client-")) {
          throw new ProtocolException("unknown Pusher event " + name);
        }
        clientEvent(name, message, out);
      }
    }
  }

  private void subscribe(JsonObject data, Consumer<ClientCommand> out) throws ProtocolException {
    String channel = string(data, "channel");
    if (channel == null || channel.isEmpty()) {
      throw new ProtocolException("pusher:subscribe needs a channel");
    }
    // Only what the channel needs: every subscriber of a public channel shares one identifier
    // (and its broadcast frames); private and presence ones are the socket's own anyway.
    boolean signed = channel.startsWith("private-") || presence(channel);
    String identifier = Channels.pusher(channel, signed ? string(data, "auth") : null,
        presence(channel) ? string(data, "channel_data") : null);
    channels.put(channel, identifier);
    out.accept(new ClientCommand("subscribe", identifier, null, null, null, null));
    if (presence(channel)) {
      out.accept(new ClientCommand("presence", identifier, null, null, null, null));
    }
  }

  private void unsubscribe(JsonObject data, Consumer<ClientCommand> out) throws ProtocolException {
    String channel = string(data, "channel");
    String identifier = channel == null ? null : channels.remove(channel);
    if (identifier == null) {
      throw new ProtocolException("pusher:unsubscribe of a channel not subscribed");
    }
    out.accept(new ClientCommand("unsubscribe", identifier, null, null, null, null));
  }

  /** A whisper of {@code {"event":<client-..>,"data":<data>}} to the channel's other subscribers. */
  private void clientEvent(String name, JsonObject message, Consumer<ClientCommand> out) throws ProtocolException {
    String channel = string(message, "channel");
    String identifier = channel == null ? null : channels.get(channel);
    if (identifier == null) {
      throw new ProtocolException("client event " + name + " on a channel not subscribed");
    }
    String payload = new JsonObject().put("event", name).put("data", message.getValue("data")).encode();
    out.accept(new ClientCommand("whisper", identifier, null, payload, null, null));
  }

  /** {@code data} as an object; pusher-js sends one, some clients a JSON string. */
  private static JsonObject data(JsonObject message) throws ProtocolException {
    Object data = message.getValue("data");
    if (data instanceof JsonObject o) {
      return o;
    }
    if (data instanceof String s) {
      try {
        return new JsonObject(s);
      } catch (RuntimeException e) {
        throw new ProtocolException("Pusher data is not a JSON object");
      }
    }
    throw new ProtocolException("Pusher data is not a JSON object");
  }

  // ---- server to client -----------------------------------------------------------------------

  @Override
  public byte[] encode(Reply reply) {
    if (reply instanceof Reply.Welcome w) {
      String data = new JsonObject().put("socket_id", w.sid()).put("activity_timeout", shared.activityTimeout()).encode();
      return PusherProtocol.frame(new JsonObject().put("event", PusherProtocol.CONNECTION_ESTABLISHED).put("data", data));
    }
    if (reply instanceof Reply.Pong) {
      return PusherProtocol.frame(new JsonObject().put("event", "pusher:pong").put("data", new JsonObject()));
    }
    if (reply instanceof Reply.Ping) {
      return PusherProtocol.frame(new JsonObject().put("event", "pusher:ping").put("data", new JsonObject()));
    }
    if (reply instanceof Reply.Disconnect d) {
      return error(d.reason(), d.reconnect() ? PusherProtocol.GENERIC : PusherProtocol.UNAUTHORIZED);
    }
    if (reply instanceof Reply.ConfirmSubscription c) {
      String channel = PusherProtocol.channelOf(c.identifier());
      // A presence channel succeeds with its members, once they are known.
      return channel == null || presence(channel) ? null : succeeded(channel, "{}");
    }
    if (reply instanceof Reply.RejectSubscription r) {
      String channel = PusherProtocol.channelOf(r.identifier());
      if (channel != null && r.identifier().equals(channels.get(channel))) {
        channels.remove(channel);
      }
      return error("rejected", PusherProtocol.UNAUTHORIZED);
    }
    if (reply instanceof Reply.PresenceInfo p) {
      String channel = PusherProtocol.channelOf(p.identifier());
      return channel == null ? null : succeeded(channel, members(p.identifier(), p.total(), p.records()).encode());
    }
    if (reply instanceof Reply.PresenceError p) {
      // No presence verticle (no --broker): the member alone, which pusher-js needs to go on.
      String channel = PusherProtocol.channelOf(p.identifier());
      return channel == null ? null : succeeded(channel, members(p.identifier(), 0, null).encode());
    }
    // History replies and the application's transmissions have no Pusher event.
    return null;
  }

  /**
   * {@code {"presence":{"count":N,"ids":[..],"hash":{"<id>":<info>}}}}, with the subscribing member
   * (its {@code channel_data}) added when missing, as anycable-go does: its join may not have
   * reached the presence set yet.
   */
  static JsonObject members(String identifier, int total, List<Reply.PresenceRecord> records) {
    JsonArray ids = new JsonArray();
    JsonObject hash = new JsonObject();
    if (records != null) {
      for (Reply.PresenceRecord r : records) {
        ids.add(r.id());
        hash.put(r.id(), r.infoJson() == null ? null : Json.decodeValue(r.infoJson()));
      }
    }
    int count = total;
    JsonObject self = selfOf(identifier);
    if (self != null && self.getValue("user_id") != null) {
      String id = String.valueOf(self.getValue("user_id"));
      if (!hash.containsKey(id)) {
        ids.add(id);
        hash.put(id, self.getValue("user_info"));
        count++;
      }
    }
    return new JsonObject().put("presence", new JsonObject().put("count", count).put("ids", ids).put("hash", hash));
  }

  /** The {@code channel_data} of a presence identifier, parsed; null when none. */
  private static JsonObject selfOf(String identifier) {
    try {
      Object data = new JsonObject(identifier).getValue("channel_data");
      return data instanceof String d ? new JsonObject(d) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static byte[] succeeded(String channel, String data) {
    return PusherProtocol.frame(new JsonObject().put("event", PusherProtocol.SUBSCRIPTION_SUCCEEDED)
        .put("data", data).put("channel", channel));
  }

  private static byte[] error(String message, int code) {
    return PusherProtocol.frame(new JsonObject().put("event", PusherProtocol.ERROR)
        .put("data", new JsonObject().put("message", message).put("code", code)));
  }

  static boolean presence(String channel) {
    return channel.startsWith("presence-");
  }

  private static String string(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof String s ? s : null;
  }
}
