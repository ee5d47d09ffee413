package io.vxcable.session.wire;

import io.vxcable.contracts.actioncable.Type;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * AnyCable Pro's protobuf encoding of Action Cable ({@code proto/anycable/action_cable.proto}):
 * {@code actioncable-v1-protobuf} answers with {@code action_cable.Message} frames and the extended
 * {@code actioncable-v1-ext-protobuf} with {@code action_cable.Reply} frames (which alone carry
 * {@code sid}, {@code restored}, {@code restored_ids} and stream positions); clients send
 * {@code Message} on both. {@code type} is the schema's enum; a type it lacks ({@code presence},
 * {@code pong}) is {@code no_type}, as a name lookup in the generated enum gives. {@code message}
 * holds msgpack. The two protocols' broadcast frames differ, so each is its own broadcast format.
 */
public final class ActionCableProtobuf extends ActionCableEncoding {

  public static final ActionCableProtobuf V1 = new ActionCableProtobuf("actioncable-v1-protobuf", false);
  public static final ActionCableProtobuf EXT = new ActionCableProtobuf("actioncable-v1-ext-protobuf", true);

  private static final Map<String, Integer> TYPES = new HashMap<>();

  static {
    for (Type t : Type.values()) {
      if (t != Type.UNRECOGNIZED) {
        TYPES.put(t.name(), t.getNumber());
      }
    }
  }

  private ActionCableProtobuf(String name, boolean extended) {
    super(name, extended);
  }

  @Override
  public boolean binary() {
    return true;
  }

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    out.accept(ProtobufCommands.decode(frame));
  }

  /** The schema's number for a JSON {@code type}: 0 ({@code no_type}) for none or one it lacks. */
  static int type(String type) {
    return type == null ? 0 : TYPES.getOrDefault(type, 0);
  }

  /** The reply as a Reply (extended) or Message (plain) frame; null for a transmission it cannot carry. */
  @Override
  public byte[] encode(Reply reply) {
    ProtobufFields f = new ProtobufFields();
    if (reply instanceof Reply.Transmission t) {
      try {
        f = ProtobufFields.ofTransmission(t.json());
      } catch (IOException notEncodable) {
        return null;
      }
    } else if (reply instanceof Reply.Ping p) {
      f.type = Type.ping_VALUE;
      f.message = Msgpack.bytes(p.timestamp());
    } else if (reply instanceof Reply.ConfirmSubscription c) {
      f.type = Type.confirm_subscription_VALUE;
      f.identifier = c.identifier();
    } else if (reply instanceof Reply.Welcome w) {
      f.type = Type.welcome_VALUE;
      f.sid = w.sid();
      f.restored = w.restored();
      f.restoredIds = w.restoredIds();
    } else if (reply instanceof Reply.Disconnect d) {
      f.type = Type.disconnect_VALUE;
      f.reason = d.reason();
      f.reconnect = d.reconnect();
    } else if (reply instanceof Reply.RejectSubscription r) {
      f.type = Type.reject_subscription_VALUE;
      f.identifier = r.identifier();
    } else if (reply instanceof Reply.ConfirmHistory c) {
      f.type = Type.confirm_history_VALUE;
      f.identifier = c.identifier();
    } else if (reply instanceof Reply.RejectHistory r) {
      f.type = Type.reject_history_VALUE;
      f.identifier = r.identifier();
    } else if (reply instanceof Reply.PresenceInfo p) {
      f.identifier = p.identifier();
      f.message = ActionCableMsgpack.presenceMessage(p);
    } else if (reply instanceof Reply.PresenceError p) {
      f.identifier = p.identifier();
      f.message = ActionCableMsgpack.presenceMessage(p);
    } else if (!(reply instanceof Reply.Pong)) {
      throw new IllegalArgumentException("unknown reply " + reply);
    }
    return extended() ? f.reply().toByteArray() : f.message().toByteArray();
  }

  /**
   * What every identifier's frame of one broadcast shares: the {@code type} field before the
   * identifier, and the fields after it ({@code message} as msgpack, converted once, and the
   * extended protocol's stream position).
   */
  private record Pieces(byte[] head, byte[] tail) {}

  @Override
  public Object payload(StreamBroadcast m) {
    ProtobufFields head = new ProtobufFields();
    head.type = type(m.getBroadcastType());
    ProtobufFields tail = new ProtobufFields();
    tail.message = ActionCableMsgpack.message(m);
    if (!m.getEpoch().isEmpty()) {
      tail.streamId = m.getStream();
      tail.epoch = m.getEpoch();
      tail.offset = m.getOffset();
    }
    return extended()
        ? new Pieces(head.reply().toByteArray(), tail.reply().toByteArray())
        : new Pieces(head.message().toByteArray(), tail.message().toByteArray());
  }

  /**
   * Frames spliced from serialized pieces: protobuf fields are independent, so {@code type}, then
   * the identifier (serialized once per identifier), then the rest give the very bytes a full
   * serialization writes (fields in number order), with the per-broadcast work done once.
   */
  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    ProtobufFields only = new ProtobufFields();
    only.identifier = identifier;
    byte[] id = extended() ? only.reply().toByteArray() : only.message().toByteArray();
    return (m, payload) -> {
      Pieces p = (Pieces) payload;
      byte[] frame = Arrays.copyOf(p.head, p.head.length + id.length + p.tail.length);
      System.arraycopy(id, 0, frame, p.head.length, id.length);
      System.arraycopy(p.tail, 0, frame, p.head.length + id.length, p.tail.length);
      return frame;
    };
  }
}
