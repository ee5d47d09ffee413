package io.vxcable.pubsub;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.vertx.core.buffer.Buffer;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;

/**
 * What the bridge puts on the pub/sub channel: a stream broadcast or a remote command, tagged with
 * the domain (the node, or the Vert.x cluster) that sent it, so a domain drops its own echo.
 *
 * <pre>
 * byte 'V', byte version (1), byte kind (1 broadcast, 2 command),
 * byte domain length, domain (ASCII), the message's protobuf encoding
 * </pre>
 *
 * @param domain the sender's domain
 * @param message a {@link StreamBroadcast} or a {@link RemoteCommand}
 */
record Envelope(String domain, MessageLite message) {

  private static final byte MAGIC = 'V';
  private static final byte VERSION = 1;
  private static final byte BROADCAST = 1;
  private static final byte COMMAND = 2;

  Envelope {
    if (!(message instanceof StreamBroadcast) && !(message instanceof RemoteCommand)) {
      throw new IllegalArgumentException("not a relayed message: " + message.getClass().getName());
    }
    if (domain.length() > 255) {
      throw new IllegalArgumentException("domain too long");
    }
  }

  Buffer encode() {
    byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
    byte[] body = message.toByteArray();
    Buffer b = Buffer.buffer(4 + d.length + body.length);
    b.appendByte(MAGIC).appendByte(VERSION).appendByte(message instanceof StreamBroadcast ? BROADCAST : COMMAND)
        .appendByte((byte) d.length).appendBytes(d).appendBytes(body);
    return b;
  }

  /** The envelope, or an exception naming what is wrong (another publisher's message on the channel). */
  static Envelope decode(byte[] raw) throws InvalidProtocolBufferException {
    if (raw.length < 4 || raw[0] != MAGIC || raw[1] != VERSION) {
      throw new InvalidProtocolBufferException("not a vxcable pub/sub message");
    }
    int length = raw[3] & 0xff;
    if (raw.length < 4 + length) {
      throw new InvalidProtocolBufferException("truncated pub/sub message");
    }
    String domain = new String(raw, 4, length, StandardCharsets.US_ASCII);
    int offset = 4 + length;
    MessageLite message = switch (raw[2]) {
      case BROADCAST -> StreamBroadcast.parseFrom(java.nio.ByteBuffer.wrap(raw, offset, raw.length - offset));
      case COMMAND -> RemoteCommand.parseFrom(java.nio.ByteBuffer.wrap(raw, offset, raw.length - offset));
      default -> throw new InvalidProtocolBufferException("unknown pub/sub message kind " + raw[2]);
    };
    return new Envelope(domain, message);
  }
}
