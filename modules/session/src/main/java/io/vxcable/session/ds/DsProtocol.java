package io.vxcable.session.ds;

import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.util.function.Consumer;

/**
 * The "encoding" of a Durable Streams session: a reader says nothing after its request, and what
 * the engine would say (welcome, pings, disconnect notices) has no place in a Durable Streams
 * response, so every reply and broadcast frame is empty. Live messages reach a read through its
 * {@link LiveReader}, which takes the stamped broadcast itself rather than a frame.
 */
final class DsProtocol implements WireProtocol {

  static final DsProtocol INSTANCE = new DsProtocol();
  private static final byte[] NOTHING = new byte[0];
  private static final BroadcastEncoder SILENT = (broadcast, payload) -> NOTHING;

  private DsProtocol() {}

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
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    throw new ProtocolException("a Durable Streams reader sends no frames");
  }

  @Override
  public byte[] encode(Reply reply) {
    return NOTHING;
  }

  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    return SILENT;
  }

  @Override
  public Object payload(StreamBroadcast broadcast) {
    return null;
  }

  @Override
  public String toString() {
    return "durable-streams";
  }
}
