package io.vxcable.session.websocket;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** Reads the whole, unmasked server frames that the transport writes as bytes (RFC 6455 §5.2). */
final class ServerFrames {

  record Raw(boolean binary, boolean rsv1, byte[] payload) {}

  private ServerFrames() {}

  static List<Raw> read(ByteBuf buf) {
    List<Raw> out = new ArrayList<>();
    while (buf.isReadable()) {
      int b0 = buf.readUnsignedByte();
      int b1 = buf.readUnsignedByte();
      if ((b0 & 0x80) == 0 || (b1 & 0x80) != 0) {
        throw new AssertionError("a server frame must be final and unmasked");
      }
      long length = b1 & 0x7F;
      if (length == 126) {
        length = buf.readUnsignedShort();
      } else if (length == 127) {
        length = buf.readLong();
      }
      byte[] payload = new byte[(int) length];
      buf.readBytes(payload);
      int opcode = b0 & 0x0F;
      if (opcode != 1 && opcode != 2) {
        throw new AssertionError("a data frame was expected, opcode " + opcode);
      }
      out.add(new Raw(opcode == 2, (b0 & 0x40) != 0, payload));
    }
    return out;
  }
}
