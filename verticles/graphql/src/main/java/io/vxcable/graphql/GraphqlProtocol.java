package io.vxcable.graphql;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One of Apollo's two WebSocket sub-protocols translated into operations of a GraphQL channel of
 * the application (graphql-anycable's {@code GraphqlChannel}). This shared instance holds the
 * settings, encodes pings and broadcasts; each connection is served by a {@link GraphqlConnection}
 * ({@link #forConnection}) that keeps its operations.
 *
 * <p>An operation {@code id} is a subscription to {@code {"channel":<channel>,"channelId":<id>}}
 * followed by the action {@code {"action":<action>,"query","variables","operationName"}}. What the
 * channel transmits and what is broadcast to its streams is {@code {"result":{...},"more":bool}}:
 * the result becomes a {@code next} ({@code data} in the legacy protocol), {@code more: false}
 * completes the operation.
 */
public final class GraphqlProtocol implements WireProtocol {

  /** The two sub-protocols. */
  public enum Flavor {
    /** graphql-ws: {@code subscribe}, {@code next}, {@code complete}, {@code ping}/{@code pong}. */
    TRANSPORT_WS("graphql-transport-ws", "next", "{\"type\":\"ping\"}"),
    /** subscriptions-transport-ws: {@code start}, {@code data}, {@code stop}, {@code ka}. */
    LEGACY("graphql-ws", "data", "{\"type\":\"ka\"}");

    final String subprotocol;
    final String dataType;
    final byte[] keepAlive;

    Flavor(String subprotocol, String dataType, String keepAlive) {
      this.subprotocol = subprotocol;
      this.dataType = dataType;
      this.keepAlive = keepAlive.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The header that carries the {@code connection_init} payload to Connect. */
  public static final String CONNECTION_HEADER = "x-apollo-connection";

  private final Flavor flavor;
  private final String channel;
  private final String action;
  private final String jwtParam;

  /**
   * @param jwtParam the connection param that may carry a JWT ({@code --jwt_param}); null when JWT
   *     identification is off
   */
  public GraphqlProtocol(Flavor flavor, String channel, String action, String jwtParam) {
    this.flavor = flavor;
    this.channel = channel;
    this.action = action;
    this.jwtParam = jwtParam;
  }

  Flavor flavor() {
    return flavor;
  }

  String action() {
    return action;
  }

  String jwtParam() {
    return jwtParam;
  }

  @Override
  public String name() {
    return flavor.subprotocol;
  }

  @Override
  public boolean extended() {
    return false;
  }

  @Override
  public boolean binary() {
    return false;
  }

  /** Connect waits for {@code connection_init}, whose payload is the connection params. */
  @Override
  public boolean connectsOnFirstFrame() {
    return true;
  }

  @Override
  public WireProtocol forConnection(RequestInfo request) {
    return new GraphqlConnection(this);
  }

  /** The shared instance has no operations: connections decode (see {@link GraphqlConnection}). */
  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    throw new ProtocolException("a GraphQL frame needs a connection");
  }

  /** Only the keep-alive: {@code ping} (graphql-ws) or {@code ka} (legacy); the rest is per connection. */
  @Override
  public byte[] encode(Reply reply) {
    return reply instanceof Reply.Ping ? flavor.keepAlive : null;
  }

  // ---- operations and channel identifiers ---------------------------------------------------------

  /** {@code {"channel":<channel>,"channelId":<operation id>}}, built the same way every time. */
  String identifier(String operationId) {
    return new JsonObject().put("channel", channel).put("channelId", operationId).encode();
  }

  /** The operation id of an identifier built by {@link #identifier}; null for any other. */
  static String operationOf(String identifier) {
    try {
      Object id = new JsonObject(identifier).getValue("channelId");
      return id instanceof String s ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ---- broadcasts -------------------------------------------------------------------------------

  private static final Object NOT_AN_OBJECT = new Object();

  /** The broadcast's JSON object, parsed once for every identifier. */
  @Override
  public Object payload(StreamBroadcast broadcast) {
    try {
      return new JsonObject(Buffer.buffer(broadcast.getMessage().toByteArray()));
    } catch (RuntimeException e) {
      return NOT_AN_OBJECT;
    }
  }

  /**
   * {@code {"result":{...},"more":true}} becomes the operation's {@code next} (or {@code data}); a
   * final broadcast ({@code more: false}) without a result completes it. A message without
   * {@code result} is taken as the result itself.
   */
  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    String op = operationOf(identifier);
    return (broadcast, payload) -> {
      if (op == null || !(payload instanceof JsonObject message)) {
        return null;
      }
      Object result = message.containsKey("result") ? message.getValue("result") : message;
      byte[] frame = resultFrame(op, result);
      if (frame == null && Boolean.FALSE.equals(message.getValue("more"))) {
        return complete(op);
      }
      return frame;
    };
  }

  // ---- frames -----------------------------------------------------------------------------------

  /**
   * The frame for one execution result: {@code next}/{@code data} with the result when it has data
   * or errors; {@code error} with its errors when it has errors and no {@code data} at all (a
   * request error: validation, parsing); null when there is nothing to say ({@code {"data":null}},
   * graphql-anycable's answer to a new subscription).
   */
  byte[] resultFrame(String op, Object result) {
    if (!(result instanceof JsonObject r)) {
      return null;
    }
    Object errors = r.getValue("errors");
    boolean hasErrors = errors instanceof JsonArray a && !a.isEmpty();
    if (hasErrors && !r.containsKey("data")) {
      return error(op, errors);
    }
    if (r.getValue("data") == null && !hasErrors) {
      return null;
    }
    return frame(new JsonObject().put("id", op).put("type", flavor.dataType).put("payload", r));
  }

  /** {@code error}: an array of GraphQL errors (graphql-ws), the errors as they are (legacy). */
  byte[] error(String op, Object errors) {
    return frame(new JsonObject().put("id", op).put("type", "error").put("payload", errors));
  }

  byte[] error(String op, String message) {
    return error(op, new JsonArray().add(new JsonObject().put("message", message)));
  }

  static byte[] complete(String op) {
    return frame(new JsonObject().put("id", op).put("type", "complete"));
  }

  static byte[] frame(JsonObject o) {
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }
}
