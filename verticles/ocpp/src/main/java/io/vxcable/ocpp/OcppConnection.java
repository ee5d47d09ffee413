package io.vxcable.ocpp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One station's connection: decodes its OCPP-J frames into channel commands and encodes what the
 * engine and the application say back. Runs on the session's event loop only, so it keeps the
 * station's state without locks.
 *
 * <p>Answers the engine would not produce (the default CALLRESULT of a call the application did
 * not acknowledge, the answer to {@code Heartbeat}, a CALLERROR for a malformed frame) are written
 * in order with the session's other replies: after the commands of such a frame, {@link #decode}
 * adds a {@code ping} command, which the engine runs once those commands are done and answers
 * with {@link Reply.Pong}; {@link #encode} turns that pong into the answer waiting at the head of
 * {@link #answers}, or into nothing when the application acknowledged the call itself.
 */
final class OcppConnection implements WireProtocol {

  /** What to write when the next pong comes: the frame, or the default answer to a call. */
  private record Answer(String id, Kind kind, byte[] frame) {}

  private enum Kind { BOOT, HEARTBEAT, CALL, FRAME }

  private static final ClientCommand PING = new ClientCommand("ping", null, null, null, null, null);

  private final OcppProtocol shared;
  private final String stationId;
  private final ArrayDeque<Answer> answers = new ArrayDeque<>();
  private final Set<String> acked = new HashSet<>();
  private String identifier;
  private boolean rejected;

  OcppConnection(OcppProtocol shared, String stationId) {
    this.shared = shared;
    this.stationId = stationId;
  }

  String stationId() {
    return stationId;
  }

  /** The channel identifier after BootNotification; null before. */
  String identifier() {
    return identifier;
  }

  @Override
  public String name() {
    return OcppProtocol.SUBPROTOCOL;
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
  public boolean pings() {
    return false;
  }

  /** Broadcasts are encoded once per identifier by the shared instance. */
  @Override
  public WireProtocol broadcastFormat() {
    return shared;
  }

  @Override
  public Object payload(StreamBroadcast broadcast) {
    return shared.payload(broadcast);
  }

  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    return shared.broadcasts(identifier);
  }

  // ---- station to server ----------------------------------------------------------------------

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    JsonArray f;
    try {
      f = new JsonArray(Buffer.buffer(frame));
    } catch (RuntimeException e) {
      throw refuse(out, "-1", "FormationViolation", "a frame must be a JSON array");
    }
    Object type = f.size() > 1 ? f.getValue(0) : null;
    Object rawId = f.size() > 1 ? f.getValue(1) : null;
    if (!(type instanceof Number) || !(rawId instanceof String id)) {
      throw refuse(out, rawId instanceof String s ? s : "-1", "FormationViolation",
          "a frame is [type, id, ...] with a numeric type and a string id");
    }
    switch (((Number) type).intValue()) {
      case OcppProtocol.CALL -> call(f, id, out);
      case OcppProtocol.CALL_RESULT -> {
        Object payload = f.size() > 2 ? f.getValue(2) : null;
        perform(out, "ack", id, "Ack", new JsonObject().put("payload", OcppProtocol.objectOr(payload)));
      }
      case OcppProtocol.CALL_ERROR -> perform(out, "error", id, "Error", new JsonObject()
          .put("code", f.size() > 2 ? f.getValue(2) : null)
          .put("message", f.size() > 3 ? f.getValue(3) : null)
          .put("payload", OcppProtocol.objectOr(f.size() > 4 ? f.getValue(4) : null)));
      default -> throw refuse(out, id, "ProtocolError", "unknown message type " + type);
    }
  }

  private void call(JsonArray f, String id, Consumer<ClientCommand> out) throws ProtocolException {
    if (f.size() < 4 || !(f.getValue(2) instanceof String action) || action.isEmpty()
        || !(f.getValue(3) instanceof JsonObject payload)) {
      throw refuse(out, id, "FormationViolation", "a CALL is [2, id, action, {payload}]");
    }
    if ("Heartbeat".equals(action)) {
      answer(out, new Answer(id, Kind.HEARTBEAT, null));
      return;
    }
    if ("BootNotification".equals(action)) {
      if (identifier == null) {
        identifier = identifierFor(payload);
        out.accept(new ClientCommand("subscribe", identifier, null, null, null, null));
      }
      perform(out, "boot_notification", id, action, new JsonObject().put("payload", payload));
      answer(out, new Answer(id, Kind.BOOT, null));
      return;
    }
    if (identifier == null || rejected) {
      answer(out, new Answer(id, Kind.FRAME, error(id, "SecurityError",
          identifier == null ? "BootNotification first" : "the station was rejected")));
      return;
    }
    perform(out, OcppProtocol.snake(action), id, action, new JsonObject().put("payload", payload));
    answer(out, new Answer(id, Kind.CALL, null));
  }

  /** {@code {"channel":"OCPPChannel","sn":<meterSerialNumber>,"station_id":<from the URL>}}. */
  private String identifierFor(JsonObject boot) {
    Object sn = boot.getValue("meterSerialNumber");
    return new JsonObject().put("channel", OcppProtocol.CHANNEL)
        .put("sn", sn instanceof String s && !s.isEmpty() ? s : stationId)
        .put("station_id", stationId).encode();
  }

  /** A channel action: {@code {"action":<action>,"id","command","payload"...}}, or to receive. */
  private void perform(Consumer<ClientCommand> out, String action, String id, String command, JsonObject rest)
      throws ProtocolException {
    if (identifier == null) {
      throw new ProtocolException(command + " before BootNotification");
    }
    JsonObject data = new JsonObject();
    if (shared.granular()) {
      data.put("action", action);
    }
    data.put("id", id).put("command", command).mergeIn(rest);
    out.accept(new ClientCommand("message", identifier, data.encode(), null, null, null));
  }

  private void answer(Consumer<ClientCommand> out, Answer a) {
    answers.add(a);
    out.accept(PING);
  }

  /** Answers a malformed frame with a CALLERROR (after what came before) and drops it. */
  private ProtocolException refuse(Consumer<ClientCommand> out, String id, String code, String description) {
    answer(out, new Answer(id, Kind.FRAME, error(id, code, description)));
    return new ProtocolException(description);
  }

  private static byte[] error(String id, String code, String description) {
    return OcppProtocol.frame(new JsonArray().add(OcppProtocol.CALL_ERROR).add(id).add(code).add(description)
        .add(new JsonObject()));
  }

  // ---- server to station ----------------------------------------------------------------------

  @Override
  public byte[] encode(Reply reply) {
    if (reply instanceof Reply.Pong) {
      return nextAnswer();
    }
    if (reply instanceof Reply.Transmission t) {
      return transmission(t.json());
    }
    if (reply instanceof Reply.RejectSubscription) {
      rejected = true;
    }
    // Welcome, confirmations, disconnect notices, pings: OCPP has no frame for them.
    return null;
  }

  private byte[] nextAnswer() {
    Answer a = answers.poll();
    if (a == null) {
      return null;
    }
    if (a.kind() == Kind.FRAME) {
      return a.frame();
    }
    if (acked.remove(a.id())) {
      return null;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    JsonObject payload = switch (a.kind()) {
      case HEARTBEAT -> new JsonObject().put("currentTime", now);
      case BOOT -> new JsonObject().put("status", rejected ? "Rejected" : "Accepted")
          .put("currentTime", now).put("interval", shared.heartbeatInterval());
      default -> new JsonObject().put("status", "Accepted");
    };
    return OcppProtocol.frame(new JsonArray().add(OcppProtocol.CALL_RESULT).add(a.id()).add(payload));
  }

  /**
   * What the application transmitted: its channel's {@code transmit} arrives wrapped as
   * {@code {"identifier":...,"message":{...}}}, a connection's as the object itself.
   * {@code {"command":"Ack","id","payload"}} answers a call, {@code {"command":"Error","id","code",
   * "message","payload"}} refuses it, any other command is a CALL to the station.
   */
  private byte[] transmission(String json) {
    JsonObject t;
    try {
      t = new JsonObject(json);
    } catch (RuntimeException e) {
      return null;
    }
    if ("reject_subscription".equals(t.getValue("type"))) {
      rejected = true;
      return null;
    }
    Object message = t.getValue("message");
    JsonObject m = message instanceof JsonObject o ? o : t;
    Object command = m.getValue("command");
    String id = OcppProtocol.idOf(m);
    if ("Ack".equals(command)) {
      markAcked(id);
      return OcppProtocol.frame(new JsonArray().add(OcppProtocol.CALL_RESULT).add(id)
          .add(OcppProtocol.objectOr(m.getValue("payload"))));
    }
    if ("Error".equals(command)) {
      markAcked(id);
      Object code = m.getValue("code");
      Object description = m.getValue("message");
      return OcppProtocol.frame(new JsonArray().add(OcppProtocol.CALL_ERROR).add(id)
          .add(code == null ? "GenericError" : code).add(description == null ? "" : description)
          .add(OcppProtocol.objectOr(m.getValue("payload"))));
    }
    return OcppProtocol.call(m);
  }

  /** Only calls still waiting for their default answer are remembered. */
  private void markAcked(String id) {
    for (Answer a : answers) {
      if (a.id().equals(id) && a.kind() != Kind.FRAME) {
        acked.add(id);
        return;
      }
    }
  }
}
