package io.vxcable.ocpp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * OCPP 1.6-J (sub-protocol {@value #SUBPROTOCOL}) translated into an {@value #CHANNEL} subscription
 * of the application. This shared instance holds the settings and encodes broadcasts (remote
 * commands: {@code {"command":"Reset","id":"1","payload":{...}}} becomes
 * {@code [2,"1","Reset",{...}]}); each connection is served by an {@link OcppConnection} made by
 * {@link #forConnection}, which keeps the station's state (its id, its channel, the calls waiting
 * for an answer).
 *
 * <p>OCPP-J frames are JSON arrays: a CALL {@code [2,id,action,payload]}, a CALLRESULT
 * {@code [3,id,payload]}, a CALLERROR {@code [4,id,code,description,details]}.
 */
public final class OcppProtocol implements WireProtocol {

  /** The WebSocket sub-protocol of OCPP 1.6-J. */
  public static final String SUBPROTOCOL = "ocpp1.6";
  /** The application's channel every station subscribes to at boot. */
  public static final String CHANNEL = "OCPPChannel";

  static final int CALL = 2;
  static final int CALL_RESULT = 3;
  static final int CALL_ERROR = 4;

  private final boolean granular;
  private final int heartbeatInterval;

  /**
   * @param granular one channel action per OCPP action ({@code status_notification}); false: every
   *     call goes to the channel's {@code receive}
   * @param heartbeatInterval the {@code interval} (seconds) of the default BootNotification answer
   */
  public OcppProtocol(boolean granular, int heartbeatInterval) {
    this.granular = granular;
    this.heartbeatInterval = heartbeatInterval;
  }

  boolean granular() {
    return granular;
  }

  int heartbeatInterval() {
    return heartbeatInterval;
  }

  @Override
  public String name() {
    return SUBPROTOCOL;
  }

  @Override
  public boolean extended() {
    return false;
  }

  @Override
  public boolean binary() {
    return false;
  }

  /** Stations keep the heartbeat themselves ({@code Heartbeat} calls): no Action Cable pings. */
  @Override
  public boolean pings() {
    return false;
  }

  /** A connection of its own, for the station named by the last segment of the request's path. */
  @Override
  public WireProtocol forConnection(RequestInfo request) {
    return new OcppConnection(this, stationId(request.url()));
  }

  /** The last path segment of a handshake URL, URL-decoded ({@code .../ocpp/CS%201} is {@code CS 1}). */
  static String stationId(String url) {
    String path;
    try {
      path = URI.create(url).getRawPath();
    } catch (RuntimeException e) {
      int q = url.indexOf('?');
      path = q < 0 ? url : url.substring(0, q);
    }
    if (path == null) {
      return "";
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    try {
      return URLDecoder.decode(last, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return last;
    }
  }

  /** The shared instance has no station: connections decode (see {@link OcppConnection}). */
  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    throw new ProtocolException("an OCPP frame needs a connection");
  }

  /** The shared instance has no station to speak to: nothing. */
  @Override
  public byte[] encode(Reply reply) {
    return null;
  }

  // ---- remote commands: broadcasts to a station's stream ---------------------------------------

  /** The broadcast's JSON object, parsed once for every identifier; null when it is no object. */
  @Override
  public Object payload(StreamBroadcast broadcast) {
    try {
      return new JsonObject(Buffer.buffer(broadcast.getMessage().toByteArray()));
    } catch (RuntimeException e) {
      return NOT_A_COMMAND;
    }
  }

  private static final Object NOT_A_COMMAND = new Object();

  /** A CALL per broadcast {@code {"command","id","payload"}}; anything else is not sent. */
  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    return (broadcast, payload) -> payload instanceof JsonObject command ? call(command) : null;
  }

  /**
   * A CALL to the station from {@code {"command":"Reset","id":"1","payload":{...}}} (a broadcast or
   * a transmission); an empty or missing id gets a fresh one. Null without a command.
   */
  static byte[] call(JsonObject command) {
    Object action = command.getValue("command");
    if (!(action instanceof String name) || name.isEmpty()) {
      return null;
    }
    String id = idOf(command);
    if (id.isEmpty()) {
      id = UUID.randomUUID().toString();
    }
    return frame(new JsonArray().add(CALL).add(id).add(name).add(objectOr(command.getValue("payload"))));
  }

  static String idOf(JsonObject command) {
    Object id = command.getValue("id");
    return id == null ? "" : String.valueOf(id);
  }

  static Object objectOr(Object payload) {
    return payload == null ? new JsonObject() : payload;
  }

  static byte[] frame(JsonArray array) {
    return array.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code StatusNotification} as a channel action: {@code status_notification}. */
  static String snake(String action) {
    StringBuilder b = new StringBuilder(action.length() + 8);
    for (int i = 0; i < action.length(); i++) {
      char c = action.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean afterLower = i > 0 && !Character.isUpperCase(action.charAt(i - 1));
        boolean beforeLower = i > 0 && i + 1 < action.length() && Character.isLowerCase(action.charAt(i + 1));
        if (afterLower || beforeLower && Character.isUpperCase(action.charAt(i - 1))) {
          b.append('_');
        }
        b.append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
