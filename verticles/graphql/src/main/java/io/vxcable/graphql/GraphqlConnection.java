package io.vxcable.graphql;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One Apollo client's connection: its {@code connection_init} becomes the request Connect sees, its
 * operations become channel subscriptions and actions, and what the channel says comes back as
 * {@code next}/{@code data}, {@code error} and {@code complete}. Runs on the session's event loop
 * only, so it keeps the operations without locks.
 *
 * <p>Frames the engine would not produce are written in order with its other replies (as
 * {@code OcppConnection} does): after an operation's commands and after a client's {@code ping},
 * {@link #decode} adds a {@code ping} command; the engine answers it with {@link Reply.Pong} once
 * the commands before it ran, and {@link #encode} turns that into the waiting frame: the
 * {@code complete} of an operation the channel finished ({@code more: false}), or the
 * {@code pong}.
 *
 * <p>An operation the server finished stays subscribed on the engine until the client's next
 * {@code subscribe}, {@code complete} or {@code stop}, which unsubscribes it first.
 */
final class GraphqlConnection implements WireProtocol {

  private enum Op { ACTIVE, FINISHING, DONE, REJECTED }

  /** What the next pong stands for: a client's ping (null operation) or an operation's end. */
  private record Waiting(String operation) {}

  private static final ClientCommand PING = new ClientCommand("ping", null, null, null, null, null);
  private static final byte[] ACK = "{\"type\":\"connection_ack\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PONG = "{\"type\":\"pong\"}".getBytes(StandardCharsets.UTF_8);
  private static final Close FORBIDDEN = new Close(4403, "Forbidden");

  private final GraphqlProtocol shared;
  private final boolean legacy;
  private final Map<String, Op> operations = new HashMap<>(4);
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>(2);
  private boolean acknowledged;
  /** The close a refused first frame asked for (graphql-ws: 4400, 4401); null otherwise. */
  private Close refusal;

  GraphqlConnection(GraphqlProtocol shared) {
    this.shared = shared;
    this.legacy = shared.flavor() == GraphqlProtocol.Flavor.LEGACY;
  }

  @Override
  public String name() {
    return shared.name();
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
  public boolean connectsOnFirstFrame() {
    return true;
  }

  @Override
  public WireProtocol broadcastFormat() {
    return shared;
  }

  @Override
  public WireProtocol pingFormat() {
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

  // ---- client to server -------------------------------------------------------------------------

  /**
   * {@code connection_init}: its payload reaches Connect as the {@value GraphqlProtocol#CONNECTION_HEADER}
   * header (JSON), and its JWT param ({@code jid}) is the token when the handshake carried none.
   */
  @Override
  public RequestInfo connectFrame(byte[] frame, RequestInfo handshake) throws ProtocolException {
    JsonObject f = parse(frame);
    if (f == null) {
      refusal = legacy ? null : new Close(4400, "Invalid message received");
      throw new ProtocolException("a frame must be a JSON object");
    }
    if (!"connection_init".equals(f.getValue("type"))) {
      refusal = legacy ? null : new Close(4401, "Unauthorized");
      throw new ProtocolException("connection_init first, not " + f.getValue("type"));
    }
    if (!(f.getValue("payload") instanceof JsonObject params)) {
      return handshake;
    }
    Map<String, String> headers = new HashMap<>(handshake.headers());
    headers.put(GraphqlProtocol.CONNECTION_HEADER, params.encode());
    String token = handshake.jwtToken();
    String param = shared.jwtParam();
    if ((token == null || token.isEmpty()) && param != null && params.getValue(param) instanceof String jwt
        && !jwt.isEmpty()) {
      token = jwt;
    }
    return new RequestInfo(handshake.url(), Map.copyOf(headers), handshake.params(), token,
        handshake.remoteAddress(), handshake.restoreSid());
  }

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    JsonObject f = parse(frame);
    if (f == null) {
      throw new ProtocolException("a frame must be a JSON object");
    }
    Object type = f.getValue("type");
    Object id = f.getValue("id");
    switch (type instanceof String t ? t : "") {
      case "subscribe", "start" -> {
        if (!type.equals(legacy ? "start" : "subscribe")) {
          throw new ProtocolException(type + " is not a message of " + name());
        }
        start(id, f.getValue("payload"), out);
      }
      case "complete", "stop" -> {
        if (!type.equals(legacy ? "stop" : "complete")) {
          throw new ProtocolException(type + " is not a message of " + name());
        }
        stop(id, out);
      }
      case "ping" -> {
        if (legacy) {
          throw new ProtocolException("ping is not a message of " + name());
        }
        waiting.add(new Waiting(null));
        out.accept(PING);
      }
      // A pong answers our ping; a second init, or the legacy terminate (the client closes next).
      case "pong", "connection_init", "connection_terminate" -> { }
      default -> throw new ProtocolException("unknown message type " + type);
    }
  }

  /** An operation: its subscription, the action running it, then a ping to learn it ran. */
  private void start(Object id, Object payload, Consumer<ClientCommand> out) throws ProtocolException {
    if (!(id instanceof String op) || op.isEmpty()) {
      throw new ProtocolException("an operation needs a string id");
    }
    if (!(payload instanceof JsonObject request) || !(request.getValue("query") instanceof String)) {
      throw new ProtocolException("an operation needs a payload with a query");
    }
    Op state = operations.get(op);
    if (state == Op.ACTIVE || state == Op.FINISHING) {
      throw new ProtocolException("operation " + op + " is already running");
    }
    forgetFinished(out);
    operations.put(op, Op.ACTIVE);
    String identifier = shared.identifier(op);
    out.accept(new ClientCommand("subscribe", identifier, null, null, null, null));
    JsonObject data = new JsonObject().put("action", shared.action()).mergeIn(request);
    out.accept(new ClientCommand("message", identifier, data.encode(), null, null, null));
    waiting.add(new Waiting(op));
    out.accept(PING);
  }

  /** The client is done with an operation: the channel's subscription goes. */
  private void stop(Object id, Consumer<ClientCommand> out) {
    if (id instanceof String op) {
      Op state = operations.remove(op);
      if (state != null && state != Op.REJECTED) {
        out.accept(new ClientCommand("unsubscribe", shared.identifier(op), null, null, null, null));
      }
    }
  }

  /** Unsubscribes the operations the server finished (their clients will not stop them). */
  private void forgetFinished(Consumer<ClientCommand> out) {
    for (Iterator<Map.Entry<String, Op>> it = operations.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Op> e = it.next();
      if (e.getValue() == Op.DONE) {
        out.accept(new ClientCommand("unsubscribe", shared.identifier(e.getKey()), null, null, null, null));
        it.remove();
      } else if (e.getValue() == Op.REJECTED) {
        it.remove();
      }
    }
  }

  private static JsonObject parse(byte[] frame) {
    try {
      return new JsonObject(Buffer.buffer(frame));
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ---- server to client -------------------------------------------------------------------------

  @Override
  public byte[] encode(Reply reply) {
    if (reply instanceof Reply.Transmission t) {
      return transmission(t.json());
    }
    if (reply instanceof Reply.Pong) {
      return nextWaiting();
    }
    if (reply instanceof Reply.Welcome) {
      return acknowledge();
    }
    if (reply instanceof Reply.RejectSubscription r) {
      return rejected(GraphqlProtocol.operationOf(r.identifier()));
    }
    if (reply instanceof Reply.Disconnect d) {
      return refused(d.reason());
    }
    if (reply instanceof Reply.Ping) {
      return shared.encode(reply);
    }
    // Subscription confirmations, history and presence have no Apollo message.
    return null;
  }

  /** What the application transmitted: its welcome, a refusal, or a result of the channel. */
  private byte[] transmission(String json) {
    JsonObject t;
    try {
      t = new JsonObject(json);
    } catch (RuntimeException e) {
      return null;
    }
    Object type = t.getValue("type");
    if ("welcome".equals(type)) {
      return acknowledge();
    }
    if ("disconnect".equals(type)) {
      return refused(t.getValue("reason") instanceof String r ? r : "unauthorized");
    }
    String op = t.getValue("identifier") instanceof String i ? GraphqlProtocol.operationOf(i) : null;
    if ("reject_subscription".equals(type)) {
      return rejected(op);
    }
    if (op == null || !(t.getValue("message") instanceof JsonObject message) || !operations.containsKey(op)) {
      return null;
    }
    Object result = message.containsKey("result") ? message.getValue("result") : message;
    byte[] frame = shared.resultFrame(op, result);
    boolean error = frame != null && result instanceof JsonObject r && !r.containsKey("data");
    if (error) {
      operations.put(op, Op.DONE);
    } else if (Boolean.FALSE.equals(message.getValue("more"))) {
      operations.put(op, Op.FINISHING);
    }
    return frame;
  }

  /** The pong a client's ping waits for, or the {@code complete} of an operation that finished. */
  private byte[] nextWaiting() {
    Waiting w = waiting.poll();
    if (w == null) {
      return null;
    }
    if (w.operation() == null) {
      return PONG;
    }
    if (operations.get(w.operation()) == Op.FINISHING) {
      operations.put(w.operation(), Op.DONE);
      return GraphqlProtocol.complete(w.operation());
    }
    return null;
  }

  private byte[] acknowledge() {
    if (acknowledged) {
      return null;
    }
    acknowledged = true;
    return ACK;
  }

  private byte[] rejected(String op) {
    if (op == null || !operations.containsKey(op)) {
      return null;
    }
    operations.put(op, Op.REJECTED);
    return shared.error(op, "Subscription rejected");
  }

  /** A refused connection: the legacy protocol says {@code connection_error}, graphql-ws closes 4403. */
  private byte[] refused(String reason) {
    if (!legacy || acknowledged) {
      return null;
    }
    return GraphqlProtocol.frame(new JsonObject().put("type", "connection_error")
        .put("payload", new JsonObject().put("message", reason)));
  }

  /**
   * graphql-ws's close codes: a refused first frame closes with 4400 or 4401, a refused connection
   * ({@code 1000 "Auth Failed"} before {@code connection_ack}) with 4403 Forbidden.
   */
  @Override
  public Close close(int code, String reason) {
    if (legacy) {
      return null;
    }
    if (refusal != null) {
      return refusal;
    }
    return !acknowledged && code == 1000 ? FORBIDDEN : null;
  }
}
