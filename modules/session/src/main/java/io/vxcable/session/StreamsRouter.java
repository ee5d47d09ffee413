package io.vxcable.session;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vxcable.protocol.MessageVerifier;
import io.vxcable.session.spi.Channels;
import io.vxcable.session.spi.Reply;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the RPC-less channels locally and hands everything else to the fallback controller:
 * {@code $pubsub} (public {@code stream_name} and signed {@code signed_stream_name}),
 * {@code Turbo::StreamsChannel}, {@code CableReady::Stream} and, in Pusher mode, {@code $pusher}
 * ({@link PusherChannel}). A perform on a routed channel falls
 * through to the fallback, as in anycable-go.
 */
final class StreamsRouter implements Controller {

  static final String PUBSUB = Channels.PUBSUB;
  static final String TURBO = Channels.TURBO;
  static final String CABLE_READY = Channels.CABLE_READY;
  static final String PUSHER = Channels.PUSHER;
  static final String WHISPER_KEY = "$w";
  static final String PRESENCE_KEY = "$p";

  private final Controller fallback;
  private final MessageVerifier streams;
  private final MessageVerifier turbo;
  private final MessageVerifier cableReady;
  private final PusherChannel pusher;
  private final boolean publicStreams;
  private final boolean signedWhisper;
  private final boolean signedPresence;

  StreamsRouter(Controller fallback, SessionOptions o) {
    this.fallback = fallback;
    this.streams = o.streamsSecret().isEmpty() ? null : new MessageVerifier(o.streamsSecret());
    this.turbo = o.turboSecret().isEmpty() ? null : new MessageVerifier(o.turboSecret());
    this.cableReady = o.cableReadySecret().isEmpty() ? null : new MessageVerifier(o.cableReadySecret());
    this.pusher = o.pusherKey().isEmpty() ? null : new PusherChannel(o.pusherKey(), o.pusherSecret());
    this.publicStreams = o.publicStreams();
    this.signedWhisper = o.streamsWhisper();
    this.signedPresence = o.streamsPresence();
  }

  @Override
  public Future<ConnectResult> connect(Session session) {
    return fallback.connect(session);
  }

  @Override
  public Future<CommandResult> subscribe(Session session, String identifier) {
    JsonObject id = parse(identifier);
    String channel = id == null ? null : stringField(id, "channel");
    if (PUBSUB.equals(channel)) {
      return Future.succeededFuture(pubsub(identifier, id));
    }
    if (TURBO.equals(channel) && turbo != null) {
      return Future.succeededFuture(signed(identifier, turbo, stringField(id, "signed_stream_name")));
    }
    if (CABLE_READY.equals(channel) && cableReady != null) {
      return Future.succeededFuture(signed(identifier, cableReady, stringField(id, "identifier")));
    }
    if (PUSHER.equals(channel) && pusher != null) {
      return Future.succeededFuture(pusher.subscribe(session, identifier, id));
    }
    return fallback.subscribe(session, identifier);
  }

  @Override
  public Future<CommandResult> unsubscribe(Session session, String identifier) {
    if (routed(identifier)) {
      return Future.succeededFuture(CommandResult.stopAll());
    }
    return fallback.unsubscribe(session, identifier);
  }

  @Override
  public Future<CommandResult> perform(Session session, String identifier, String data) {
    return fallback.perform(session, identifier, data);
  }

  @Override
  public void disconnect(Session session) {
    fallback.disconnect(session);
  }

  @Override
  public void cancel(Session session) {
    fallback.cancel(session);
  }

  private boolean routed(String identifier) {
    JsonObject id = parse(identifier);
    String channel = id == null ? null : stringField(id, "channel");
    return PUBSUB.equals(channel)
        || (TURBO.equals(channel) && turbo != null)
        || (CABLE_READY.equals(channel) && cableReady != null)
        || (PUSHER.equals(channel) && pusher != null);
  }

  private CommandResult pubsub(String identifier, JsonObject id) {
    String signedName = stringField(id, "signed_stream_name");
    if (signedName != null) {
      if (streams == null) {
        return reject(identifier);
      }
      String stream = streams.verify(signedName);
      return stream == null ? reject(identifier) : confirm(identifier, stream, signedWhisper, signedPresence);
    }
    String stream = stringField(id, "stream_name");
    if (stream == null || !publicStreams) {
      return reject(identifier);
    }
    return confirm(identifier, stream, true, true);
  }

  private CommandResult signed(String identifier, MessageVerifier verifier, String signed) {
    String stream = signed == null ? null : verifier.verify(signed);
    return stream == null ? reject(identifier) : confirm(identifier, stream, false, false);
  }

  private static CommandResult confirm(String identifier, String stream, boolean whisper, boolean presence) {
    Map<String, String> istate = new HashMap<>(2);
    if (whisper) {
      istate.put(WHISPER_KEY, stream);
    }
    if (presence) {
      istate.put(PRESENCE_KEY, stream);
    }
    return CommandResult.subscribed(new Reply.ConfirmSubscription(identifier), stream, istate);
  }

  private static CommandResult reject(String identifier) {
    return CommandResult.rejected(new Reply.RejectSubscription(identifier));
  }

  private static JsonObject parse(String identifier) {
    try {
      return new JsonObject(identifier);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static String stringField(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof String s ? s : null;
  }
}
