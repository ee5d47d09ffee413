package io.vxcable.gateway;

import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A test protocol speaking lines of text: {@code sub <stream>} subscribes to a public stream, the
 * server answers {@code hello}, {@code subscribed <stream>} and {@code <stream>: <message>}.
 * {@link Mount} serves it on the path in {@code line_path} (a config key of its own); the service
 * loader finds it.
 */
public final class LineProtocol implements WireProtocol {

  /** The translator: found by the service loader, mounted when {@code line_path} is set. */
  public static final class Mount implements Translator {
    @Override
    public String name() {
      return "lines";
    }

    @Override
    public String path(Settings settings) {
      return settings.string("line_path");
    }

    @Override
    public WireProtocol protocol(Settings settings) {
      return new LineProtocol();
    }
  }

  @Override
  public String name() {
    // No sub-protocol: the path alone selects it.
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

  static String identifier(String stream) {
    return new JsonObject().put("channel", "$pubsub").put("stream_name", stream).encode();
  }

  static String stream(String identifier) {
    return new JsonObject(identifier).getString("stream_name");
  }

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    String line = new String(frame, StandardCharsets.UTF_8).trim();
    if (!line.startsWith("sub ")) {
      throw new ProtocolException("expected: sub <stream>");
    }
    out.accept(new ClientCommand("subscribe", identifier(line.substring(4)), null, null, null, null));
  }

  @Override
  public byte[] encode(Reply reply) {
    String text;
    if (reply instanceof Reply.Welcome) {
      text = "hello";
    } else if (reply instanceof Reply.ConfirmSubscription c) {
      text = "subscribed " + stream(c.identifier());
    } else if (reply instanceof Reply.Ping) {
      text = "ping";
    } else {
      text = reply.getClass().getSimpleName().toLowerCase();
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Object payload(StreamBroadcast m) {
    return m.getMessage().toStringUtf8();
  }

  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    String prefix = stream(identifier) + ": ";
    return (m, payload) -> (prefix + payload).getBytes(StandardCharsets.UTF_8);
  }
}
