package io.vxcable.session;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusRequests;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.Env;
import io.vxcable.session.spi.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The application, reached over the bus through the rpc verticle ({@code cable.rpc.*}). Maps a
 * session to AnyCable's requests (env with URL, headers, connection and channel state) and the
 * responses back to results. Without an rpc verticle every call fails, which a client sees as
 * anycable-go with an unreachable RPC server.
 */
final class BusRpcController implements Controller {

  private final EventBus bus;
  private final long timeoutMs;

  BusRpcController(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<ConnectResult> connect(Session s) {
    ConnectionRequest req = ConnectionRequest.newBuilder().setEnv(env(s, null)).build();
    return BusRequests.<ConnectionResponse>localFirst(bus, Addresses.RPC_CONNECT, req, options(s)).map(Message::body).map(r ->
        new ConnectResult(status(r.getStatusValue()), r.getIdentifiers(), transmissions(r.getTransmissionsList()),
            r.hasEnv() ? r.getEnv().getCstateMap() : Map.of(), true));
  }

  @Override
  public Future<CommandResult> subscribe(Session s, String identifier) {
    return command(s, "subscribe", identifier, null);
  }

  @Override
  public Future<CommandResult> unsubscribe(Session s, String identifier) {
    return command(s, "unsubscribe", identifier, null);
  }

  @Override
  public Future<CommandResult> perform(Session s, String identifier, String data) {
    return command(s, "message", identifier, data);
  }

  private Future<CommandResult> command(Session s, String command, String identifier, String data) {
    CommandMessage.Builder b = CommandMessage.newBuilder().setCommand(command).setIdentifier(identifier)
        .setConnectionIdentifiers(s.identifiers() == null ? "" : s.identifiers()).setEnv(env(s, identifier));
    if (data != null) {
      b.setData(data);
    }
    return BusRequests.<CommandResponse>localFirst(bus, Addresses.RPC_COMMAND, b.build(), options(s)).map(Message::body).map(r ->
        new CommandResult(status(r.getStatusValue()), transmissions(r.getTransmissionsList()), r.getStreamsList(),
            r.getStoppedStreamsList(), r.getStopStreams(), r.getDisconnect(),
            r.hasEnv() ? r.getEnv().getIstateMap() : Map.of(), r.hasEnv() ? r.getEnv().getCstateMap() : Map.of(), true,
            presence(r)));
  }

  /** The presence change the application asked for: "join" (with info as JSON text) or "leave". */
  private static CommandResult.PresenceChange presence(CommandResponse r) {
    if (!r.hasPresence()) {
      return null;
    }
    String type = r.getPresence().getType();
    if ("join".equals(type)) {
      return new CommandResult.PresenceChange(true, r.getPresence().getId(), PresenceClient.infoJson(r.getPresence().getInfo()));
    }
    return "leave".equals(type) ? new CommandResult.PresenceChange(false, r.getPresence().getId(), null) : null;
  }

  @Override
  public void disconnect(Session s) {
    Env.Builder env = env(s, null).toBuilder();
    List<String> identifiers = new ArrayList<>();
    for (Subscription sub : s.subscriptions()) {
      identifiers.add(sub.identifier);
      Map<String, String> state = sub.istate();
      if (!state.isEmpty()) {
        env.putIstate(sub.identifier, new JsonObject(Map.copyOf(state)).encode());
      }
    }
    DisconnectRequest req = DisconnectRequest.newBuilder()
        .setIdentifiers(s.identifiers() == null ? "" : s.identifiers())
        .addAllSubscriptions(identifiers)
        .setEnv(env)
        .build();
    bus.send(Addresses.RPC_DISCONNECT, req, options(s));
  }

  @Override
  public void cancel(Session s) {
    bus.publish(Addresses.RPC_CANCEL, null, new DeliveryOptions().addHeader(Addresses.HEADER_SID, s.sid()));
  }

  private static Env env(Session s, String identifier) {
    Env.Builder env = Env.newBuilder().setUrl(s.request().url()).putAllHeaders(s.request().headers())
        .putAllCstate(s.cstate());
    if (identifier != null) {
      env.putAllIstate(s.istate(identifier));
    }
    return env.build();
  }

  private DeliveryOptions options(Session s) {
    return new DeliveryOptions().addHeader(Addresses.HEADER_SID, s.sid()).setSendTimeout(timeoutMs);
  }

  /** The application's transmissions: JSON text, re-encoded by protocols that are not JSON. */
  private static List<Reply> transmissions(List<String> json) {
    List<Reply> out = new ArrayList<>(json.size());
    for (String t : json) {
      out.add(new Reply.Transmission(t));
    }
    return out;
  }

  private static Status status(int value) {
    return switch (value) {
      case 1 -> Status.SUCCESS;
      case 2 -> Status.FAILURE;
      default -> Status.ERROR;
    };
  }
}
