package io.vxcable.session.wire;

import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.CommandParser;
import io.vxcable.protocol.JsonText;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.protocol.Replies;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Action Cable protocol in JSON, byte-compatible with anycable-go: {@code actioncable-v1-json}
 * and AnyCable's extended {@code actioncable-v1-ext-json}. Frames are text; a binary frame carrying
 * the same JSON is read too. Both share their broadcast frames. The only place (with
 * {@link Replies}) where the JSON form of the conversation is written.
 */
public final class ActionCableJson extends ActionCableEncoding {

  public static final ActionCableJson V1 = new ActionCableJson("actioncable-v1-json", false);
  public static final ActionCableJson EXT = new ActionCableJson("actioncable-v1-ext-json", true);

  private static final byte[] TYPE = bytes("{\"type\":");
  private static final byte[] IDENTIFIER_FIRST = bytes("{\"identifier\":");
  private static final byte[] IDENTIFIER_NEXT = bytes(",\"identifier\":");
  private static final byte[] MESSAGE = bytes(",\"message\":");
  private static final byte[] STREAM_ID = bytes(",\"stream_id\":");
  private static final byte[] EPOCH = bytes(",\"epoch\":");
  private static final byte[] OFFSET = bytes(",\"offset\":");

  private ActionCableJson(String name, boolean extended) {
    super(name, extended);
  }

  @Override
  public boolean binary() {
    return false;
  }

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    out.accept(CommandParser.parse(frame));
  }

  @Override
  public byte[] encode(Reply reply) {
    return text(reply).getBytes(StandardCharsets.UTF_8);
  }

  /** The JSON text of a reply (anycable-go's field order). */
  static String text(Reply reply) {
    if (reply instanceof Reply.Transmission t) {
      return t.json();
    } else if (reply instanceof Reply.Ping p) {
      return Replies.ping(p.timestamp());
    } else if (reply instanceof Reply.ConfirmSubscription c) {
      return Replies.confirmSubscription(c.identifier());
    } else if (reply instanceof Reply.Welcome w) {
      return w.restored() ? Replies.welcomeRestored(w.sid(), w.restoredIds()) : Replies.welcome(w.sid());
    } else if (reply instanceof Reply.Disconnect d) {
      return Replies.disconnect(d.reason(), d.reconnect());
    } else if (reply instanceof Reply.RejectSubscription r) {
      return Replies.rejectSubscription(r.identifier());
    } else if (reply instanceof Reply.ConfirmHistory c) {
      return Replies.confirmHistory(c.identifier());
    } else if (reply instanceof Reply.RejectHistory r) {
      return Replies.rejectHistory(r.identifier());
    } else if (reply instanceof Reply.PresenceInfo p) {
      return Replies.presenceInfo(p.identifier(), p.total(), records(p.records()));
    } else if (reply instanceof Reply.PresenceError p) {
      return Replies.presenceError(p.identifier());
    } else if (reply instanceof Reply.Pong) {
      return Replies.pong();
    }
    throw new IllegalArgumentException("unknown reply " + reply);
  }

  private static List<String> records(List<Reply.PresenceRecord> records) {
    if (records == null) {
      return null;
    }
    List<String> json = new ArrayList<>(records.size());
    for (Reply.PresenceRecord r : records) {
      json.add(Replies.presenceRecord(r.id(), r.infoJson()));
    }
    return json;
  }

  @Override
  public WireProtocol broadcastFormat() {
    return V1;
  }

  @Override
  public Object payload(StreamBroadcast broadcast) {
    // Validated as JSON once at intake: copied into frames as it is.
    return broadcast.getMessage().toByteArray();
  }

  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    byte[] quoted = bytes(JsonText.quote(identifier));
    return (m, payload) -> frame(quoted, m, (byte[]) payload);
  }

  /**
   * {@code {"type":..,"identifier":..,"message":..,"stream_id":..,"epoch":..,"offset":..}}, the
   * optional fields omitted, the message bytes copied as they are.
   */
  private static byte[] frame(byte[] quotedIdentifier, StreamBroadcast m, byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + quotedIdentifier.length + 64);
    String type = m.getBroadcastType();
    if (!type.isEmpty()) {
      out.writeBytes(TYPE);
      out.writeBytes(bytes(JsonText.quote(type)));
      out.writeBytes(IDENTIFIER_NEXT);
    } else {
      out.writeBytes(IDENTIFIER_FIRST);
    }
    out.writeBytes(quotedIdentifier);
    out.writeBytes(MESSAGE);
    out.writeBytes(message);
    if (!m.getEpoch().isEmpty()) {
      out.writeBytes(STREAM_ID);
      out.writeBytes(bytes(JsonText.quote(m.getStream())));
      out.writeBytes(EPOCH);
      out.writeBytes(bytes(JsonText.quote(m.getEpoch())));
      if (m.getOffset() != 0) {
        out.writeBytes(OFFSET);
        out.writeBytes(bytes(Long.toUnsignedString(m.getOffset())));
      }
    }
    out.write('}');
    return out.toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
