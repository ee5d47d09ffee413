package io.vxcable.session.wire;

import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePacker;

/**
 * AnyCable Pro's msgpack encoding of Action Cable: {@code actioncable-v1-msgpack} and the extended
 * {@code actioncable-v1-ext-msgpack}. Every frame is binary and holds one msgpack map with the
 * fields, names and order of the JSON protocol ({@link ActionCableJson}); JSON values the
 * application wrote (a broadcast's message, a transmission) are converted to msgpack, the
 * broadcast's once per broadcast. Both protocols share their broadcast frames.
 */
public final class ActionCableMsgpack extends ActionCableEncoding {

  public static final ActionCableMsgpack V1 = new ActionCableMsgpack("actioncable-v1-msgpack", false);
  public static final ActionCableMsgpack EXT = new ActionCableMsgpack("actioncable-v1-ext-msgpack", true);

  private static final byte[] TYPE = Msgpack.string("type");
  private static final byte[] IDENTIFIER = Msgpack.string("identifier");
  private static final byte[] MESSAGE = Msgpack.string("message");
  private static final byte[] STREAM_ID = Msgpack.string("stream_id");
  private static final byte[] EPOCH = Msgpack.string("epoch");
  private static final byte[] OFFSET = Msgpack.string("offset");

  private ActionCableMsgpack(String name, boolean extended) {
    super(name, extended);
  }

  @Override
  public boolean binary() {
    return true;
  }

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    out.accept(MsgpackCommands.decode(frame));
  }

  /** The reply as a msgpack map; null for a transmission that is not JSON (it cannot be re-encoded). */
  @Override
  public byte[] encode(Reply reply) {
    try (MessageBufferPacker out = Msgpack.packer(128)) {
      return write(out, reply) ? out.toByteArray() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean write(MessagePacker out, Reply reply) throws IOException {
    if (reply instanceof Reply.Transmission t) {
      Object value;
      try {
        value = JsonValues.read(t.json());
      } catch (IOException notJson) {
        return false;
      }
      Msgpack.pack(out, value);
    } else if (reply instanceof Reply.Ping p) {
      out.packMapHeader(2);
      out.packString("type").packString("ping");
      out.packString("message").packLong(p.timestamp());
    } else if (reply instanceof Reply.ConfirmSubscription c) {
      typed(out, "confirm_subscription", c.identifier());
    } else if (reply instanceof Reply.Welcome w) {
      welcome(out, w);
    } else if (reply instanceof Reply.Disconnect d) {
      out.packMapHeader(3);
      out.packString("type").packString("disconnect");
      out.packString("reason").packString(d.reason());
      out.packString("reconnect").packBoolean(d.reconnect());
    } else if (reply instanceof Reply.RejectSubscription r) {
      typed(out, "reject_subscription", r.identifier());
    } else if (reply instanceof Reply.ConfirmHistory c) {
      typed(out, "confirm_history", c.identifier());
    } else if (reply instanceof Reply.RejectHistory r) {
      typed(out, "reject_history", r.identifier());
    } else if (reply instanceof Reply.PresenceInfo p) {
      presence(out, p.identifier());
      presenceInfo(out, p.total(), p.records());
    } else if (reply instanceof Reply.PresenceError p) {
      presence(out, p.identifier());
      presenceError(out);
    } else if (reply instanceof Reply.Pong) {
      out.packMapHeader(1);
      out.packString("type").packString("pong");
    } else {
      throw new IllegalArgumentException("unknown reply " + reply);
    }
    return true;
  }

  private static void typed(MessagePacker out, String type, String identifier) throws IOException {
    out.packMapHeader(2);
    out.packString("type").packString(type);
    out.packString("identifier").packString(identifier);
  }

  /** {@code type, sid} and, for a resumed session, {@code restored, restored_ids} (left out when empty). */
  private static void welcome(MessagePacker out, Reply.Welcome w) throws IOException {
    boolean ids = w.restored() && !w.restoredIds().isEmpty();
    out.packMapHeader(2 + (w.restored() ? 1 : 0) + (ids ? 1 : 0));
    out.packString("type").packString("welcome");
    out.packString("sid").packString(w.sid());
    if (w.restored()) {
      out.packString("restored").packBoolean(true);
    }
    if (ids) {
      out.packString("restored_ids").packArrayHeader(w.restoredIds().size());
      for (String id : w.restoredIds()) {
        out.packString(id);
      }
    }
  }

  /** {@code type: presence, identifier, message: } (the message follows). */
  private static void presence(MessagePacker out, String identifier) throws IOException {
    out.packMapHeader(3);
    out.packString("type").packString("presence");
    out.packString("identifier").packString(identifier);
    out.packString("message");
  }

  /** {@code {type: info, total, records: [{info, id}]}}, records left out when null, as in JSON. */
  private static void presenceInfo(MessagePacker out, int total, List<Reply.PresenceRecord> records)
      throws IOException {
    out.packMapHeader(records == null ? 2 : 3);
    out.packString("type").packString("info");
    out.packString("total").packInt(total);
    if (records == null) {
      return;
    }
    out.packString("records").packArrayHeader(records.size());
    for (Reply.PresenceRecord r : records) {
      out.packMapHeader(r.infoJson() == null ? 1 : 2);
      if (r.infoJson() != null) {
        out.packString("info");
        Msgpack.pack(out, jsonOrText(r.infoJson()));
      }
      out.packString("id").packString(r.id());
    }
  }

  /** A presence answer's message alone ({@code {type: info, ..}}), for encodings that carry it as msgpack. */
  static byte[] presenceMessage(Reply reply) {
    try (MessageBufferPacker out = Msgpack.packer(128)) {
      if (reply instanceof Reply.PresenceInfo p) {
        presenceInfo(out, p.total(), p.records());
      } else {
        presenceError(out);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void presenceError(MessagePacker out) throws IOException {
    out.packMapHeader(2);
    out.packString("type").packString("error");
    out.packString("total").packInt(0);
  }

  private static Object jsonOrText(String json) {
    try {
      return JsonValues.read(json);
    } catch (IOException notJson) {
      return json;
    }
  }

  @Override
  public WireProtocol broadcastFormat() {
    return V1;
  }

  /** The message as msgpack bytes, converted from its JSON once per broadcast. */
  @Override
  public Object payload(StreamBroadcast broadcast) {
    return message(broadcast);
  }

  /** A broadcast's message converted from JSON to msgpack (shared with the protobuf encoding). */
  static byte[] message(StreamBroadcast broadcast) {
    try {
      return Msgpack.bytes(JsonValues.read(broadcast.getMessage().toByteArray()));
    } catch (IOException notJson) {
      // The intake only lets JSON through; anything else would travel as the text it is.
      return Msgpack.bytes(broadcast.getMessage().toStringUtf8());
    }
  }

  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    byte[] packed = Msgpack.string(identifier);
    return (m, payload) -> frame(packed, m, (byte[]) payload);
  }

  /**
   * {@code {type, identifier, message, stream_id, epoch, offset}} in the JSON protocol's order, the
   * optional fields left out as there, the identifier and message copied as packed.
   */
  private static byte[] frame(byte[] identifier, StreamBroadcast m, byte[] message) {
    String type = m.getBroadcastType();
    boolean stamped = !m.getEpoch().isEmpty();
    boolean offset = stamped && m.getOffset() != 0;
    int fields = 2 + (type.isEmpty() ? 0 : 1) + (stamped ? 2 : 0) + (offset ? 1 : 0);
    try (MessageBufferPacker out = Msgpack.packer(identifier.length + message.length + 64)) {
      out.packMapHeader(fields);
      if (!type.isEmpty()) {
        out.writePayload(TYPE).packString(type);
      }
      out.writePayload(IDENTIFIER).writePayload(identifier);
      out.writePayload(MESSAGE).writePayload(message);
      if (stamped) {
        out.writePayload(STREAM_ID).packString(m.getStream());
        out.writePayload(EPOCH).packString(m.getEpoch());
        if (offset) {
          out.writePayload(OFFSET);
          Msgpack.packUnsigned(out, m.getOffset());
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
