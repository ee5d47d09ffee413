package io.vxcable.examples.pubsub;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.JsonText;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Channels;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A plain JSON pub/sub protocol over WebSocket, translated into the conversation the session engine
 * runs. Streams are AnyCable's public streams ({@code $pubsub}, served with {@code --public} or
 * {@code --public_streams}), so no application is involved.
 *
 * <p>Client to server, one JSON object per text frame:
 * <pre>
 * {"subscribe":"room"}                   subscribe to {"channel":"$pubsub","stream_name":"room"}
 * {"unsubscribe":"room"}                 unsubscribe from it
 * {"publish":"room","data":{"any":1}}    a whisper: every other subscriber of "room" gets the data
 * </pre>
 *
 * <p>Server to client:
 * <pre>
 * {"event":"welcome","sid":"..."}
 * {"event":"subscribed","stream":"room"}     or {"event":"rejected","stream":"room"}
 * {"event":"message","stream":"room","data":&lt;the broadcast's JSON&gt;}
 * {"event":"ping","at":1700000000}
 * {"event":"disconnect","reason":"server_restart","reconnect":true}
 * </pre>
 *
 * <p>Stateless, so one instance serves every session on every event loop.
 */
public final class PubSubProtocol implements WireProtocol {

  /** The one instance: the protocol has no state. */
  public static final PubSubProtocol INSTANCE = new PubSubProtocol();

  private PubSubProtocol() {}

  /** The Action Cable identifier this protocol uses for a stream: a public {@code $pubsub} stream. */
  public static String identifier(String stream) {
    return Channels.pubsub(stream);
  }

  /** No sub-protocol: the protocol owns its path, every client on it speaks this protocol. */
  @Override
  public String name() {
    return null;
  }

  /** Not AnyCable's extended protocol: no session resumption, no history, no required pongs. */
  @Override
  public boolean extended() {
    return false;
  }

  @Override
  public boolean binary() {
    return false;
  }

  // ---- client to server -----------------------------------------------------------------------

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    JsonObject f;
    try {
      f = new JsonObject(Buffer.buffer(frame));
    } catch (RuntimeException e) {
      throw new ProtocolException("a frame must be a JSON object");
    }
    if (f.containsKey("subscribe")) {
      out.accept(command("subscribe", stream(f, "subscribe"), null));
    } else if (f.containsKey("unsubscribe")) {
      out.accept(command("unsubscribe", stream(f, "unsubscribe"), null));
    } else if (f.containsKey("publish")) {
      // Whispers carry any JSON value; the engine publishes it as the message of a transient broadcast.
      out.accept(command("whisper", stream(f, "publish"), Json.encode(f.getValue("data"))));
    } else {
      throw new ProtocolException("expected subscribe, unsubscribe or publish");
    }
  }

  private static String stream(JsonObject frame, String key) throws ProtocolException {
    Object v = frame.getValue(key);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new ProtocolException(key + " must name a stream");
    }
    return s;
  }

  private static ClientCommand command(String command, String stream, String dataJson) {
    return new ClientCommand(command, identifier(stream), null, dataJson, null, null);
  }

  // ---- server to client -----------------------------------------------------------------------

  @Override
  public byte[] encode(Reply reply) {
    JsonObject f;
    if (reply instanceof Reply.Welcome w) {
      f = event("welcome").put("sid", w.sid());
    } else if (reply instanceof Reply.ConfirmSubscription c) {
      f = event("subscribed").put("stream", streamOf(c.identifier()));
    } else if (reply instanceof Reply.RejectSubscription r) {
      f = event("rejected").put("stream", streamOf(r.identifier()));
    } else if (reply instanceof Reply.Ping p) {
      f = event("ping").put("at", p.timestamp());
    } else if (reply instanceof Reply.Disconnect d) {
      f = event("disconnect").put("reason", d.reason()).put("reconnect", d.reconnect());
    } else if (reply instanceof Reply.Transmission t) {
      // What an RPC application transmits (JSON text by AnyCable's contract), wrapped.
      f = event("transmission").put("data", Json.decodeValue(t.json()));
    } else if (reply instanceof Reply.Pong) {
      f = event("pong");
    } else {
      // History and presence replies answer commands this protocol never sends.
      f = event("unsupported");
    }
    return f.encode().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject event(String name) {
    return new JsonObject().put("event", name);
  }

  /** The stream named by one of this protocol's identifiers. */
  static String streamOf(String identifier) {
    try {
      String stream = new JsonObject(identifier).getString("stream_name");
      return stream != null ? stream : identifier;
    } catch (RuntimeException e) {
      return identifier;
    }
  }

  /** The broadcast's JSON value, copied into every frame as it is (the intake validated it). */
  @Override
  public Object payload(StreamBroadcast broadcast) {
    return broadcast.getMessage().toByteArray();
  }

  /** Kept by the hub per identifier: the frame's head is built once, each broadcast appends its data. */
  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    byte[] head = ("{\"event\":\"message\",\"stream\":" + JsonText.quote(streamOf(identifier)) + ",\"data\":")
        .getBytes(StandardCharsets.UTF_8);
    return (broadcast, payload) -> {
      byte[] data = (byte[]) payload;
      ByteArrayOutputStream frame = new ByteArrayOutputStream(head.length + data.length + 1);
      frame.writeBytes(head);
      frame.writeBytes(data);
      frame.write('}');
      return frame.toByteArray();
    };
  }
}
