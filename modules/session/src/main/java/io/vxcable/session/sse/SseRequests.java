package io.vxcable.session.sse;

import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.CommandParser;
import io.vxcable.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscribe commands an SSE request asks for, as anycable-go reads them. A GET names one
 * subscription in its query (the first of {@code identifier}, {@code channel}, {@code stream},
 * {@code signed_stream}, {@code turbo_signed_stream_name}), with history from {@code Last-Event-ID}
 * ({@code <offset>/<epoch>/<stream>}) and {@code history_since}. A POST body is JSON lines, each
 * one a subscription (whatever its {@code command} says).
 */
final class SseRequests {

  /** A request that cannot become a stream: answered 400. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private SseRequests() {}

  /** The one subscription of a GET request. */
  static ClientCommand fromQuery(MultiMap params, String lastEventId) throws BadRequest {
    String identifier = nonEmpty(params.get("identifier"));
    if (identifier == null && nonEmpty(params.get("channel")) != null) {
      identifier = new JsonObject().put("channel", params.get("channel")).encode();
    }
    if (identifier == null && nonEmpty(params.get("stream")) != null) {
      identifier = pubsub("$pubsub", "stream_name", params.get("stream"));
    }
    if (identifier == null && nonEmpty(params.get("signed_stream")) != null) {
      identifier = pubsub("$pubsub", "signed_stream_name", params.get("signed_stream"));
    }
    if (identifier == null && nonEmpty(params.get("turbo_signed_stream_name")) != null) {
      identifier = pubsub("Turbo::StreamsChannel", "signed_stream_name", params.get("turbo_signed_stream_name"));
    }
    if (identifier == null) {
      throw new BadRequest("no channel provided");
    }
    JsonObject cmd = new JsonObject().put("command", "subscribe").put("identifier", identifier);
    JsonObject history = new JsonObject();
    if (lastEventId != null && !lastEventId.isEmpty()) {
      String[] parts = lastEventId.split("/", 3);
      if (parts.length == 3) {
        long offset;
        try {
          offset = Long.parseUnsignedLong(parts[0]);
        } catch (NumberFormatException e) {
          throw new BadRequest("failed to parse last event id: " + lastEventId);
        }
        history.put("streams", new JsonObject().put(parts[2], new JsonObject().put("epoch", parts[1]).put("offset", offset)));
      }
    }
    String since = params.get("history_since");
    if (since != null && !since.isEmpty()) {
      try {
        history.put("since", Long.parseLong(since));
      } catch (NumberFormatException e) {
        throw new BadRequest("failed to parse history since value: " + since);
      }
    }
    if (!history.isEmpty()) {
      cmd.put("history", history);
    }
    return parse(cmd.encode());
  }

  /** The subscriptions of a POST body, in order, each identifier once. */
  static List<ClientCommand> fromBody(byte[] body) throws BadRequest {
    Map<String, ClientCommand> commands = new LinkedHashMap<>();
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject json;
      try {
        json = new JsonObject(line);
      } catch (DecodeException | ClassCastException e) {
        throw new BadRequest("failed to parse command: " + e.getMessage());
      }
      // anycable-go subscribes whatever the line's command is.
      ClientCommand cmd = parse(json.put("command", "subscribe").encode());
      if (cmd.identifier() == null || cmd.identifier().isEmpty()) {
        throw new BadRequest("a command without an identifier");
      }
      commands.putIfAbsent(cmd.identifier(), cmd);
    }
    return new ArrayList<>(commands.values());
  }

  private static ClientCommand parse(String json) throws BadRequest {
    try {
      return CommandParser.parse(json);
    } catch (ProtocolException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  private static String pubsub(String channel, String key, String value) {
    return new JsonObject().put("channel", channel).put(key, value).encode();
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
