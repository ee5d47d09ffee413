package io.vxcable.broadcast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.RemoteDisconnect;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.WallClock;
import io.vxcable.protocol.JsonText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses AnyCable's publication format: one publication {@code {"stream","data","meta"}}, a batch
 * (an array whose first element has a stream), or a remote command {@code {"command","payload"}}.
 * {@code data} must be a JSON string; the wire {@code message} is computed here, once, with
 * {@link JsonText#messageValue}.
 */
final class PublicationParser {

  private static final JsonFactory FACTORY = new JsonFactory();

  /** What a body held. Exactly one of the lists is non-empty for a valid body. */
  record Parsed(List<StreamBroadcast> broadcasts, List<RemoteCommand> commands) {}

  private PublicationParser() {}

  /** The body's publications, stamped with the moment they arrived (for the freshness metrics). */
  static Parsed parse(byte[] body) throws InvalidPublicationException {
    long receivedAt = WallClock.micros();
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken first = p.nextToken();
      List<StreamBroadcast> broadcasts = new ArrayList<>(1);
      List<RemoteCommand> commands = new ArrayList<>(0);
      if (first == JsonToken.START_OBJECT) {
        Object one = object(p, receivedAt);
        if (one instanceof StreamBroadcast b) {
          broadcasts.add(b);
        } else {
          commands.add((RemoteCommand) one);
        }
      } else if (first == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          Object one = object(p, receivedAt);
          if (!(one instanceof StreamBroadcast b)) {
            throw new InvalidPublicationException("a batch holds publications only");
          }
          broadcasts.add(b);
        }
        if (p.currentToken() != JsonToken.END_ARRAY || broadcasts.isEmpty()) {
          throw new InvalidPublicationException("a batch is an array of publication objects");
        }
      } else {
        throw new InvalidPublicationException("a publication is a JSON object or an array");
      }
      if (p.nextToken() != null) {
        throw new InvalidPublicationException("trailing data after the publication");
      }
      return new Parsed(broadcasts, commands);
    } catch (IOException e) {
      throw new InvalidPublicationException("invalid JSON: " + e.getMessage());
    }
  }

  /** A publication or a remote command; the parser stands on the object's START_OBJECT. */
  private static Object object(JsonParser p, long receivedAt) throws IOException, InvalidPublicationException {
    String stream = null;
    String data = null;
    String command = null;
    RemoteDisconnect.Builder payload = null;
    StreamBroadcast.Builder b = StreamBroadcast.newBuilder().setReceivedAtUs(receivedAt);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "stream" -> stream = string(p, t, "stream");
        case "data" -> data = string(p, t, "data");
        case "epoch" -> b.setEpoch(nullToEmpty(string(p, t, "epoch")));
        case "offset" -> {
          if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NULL) {
            throw new InvalidPublicationException("offset must be an integer");
          }
          b.setOffset(t == JsonToken.VALUE_NULL ? 0 : p.getLongValue());
        }
        case "meta" -> meta(p, t, b);
        case "command" -> command = string(p, t, "command");
        case "payload" -> payload = payload(p, t);
        default -> p.skipChildren();
      }
    }
    if (stream != null && !stream.isEmpty()) {
      if (data == null) {
        throw new InvalidPublicationException("data must be a JSON string");
      }
      return b.setStream(stream).setMessage(ByteString.copyFromUtf8(JsonText.messageValue(data))).build();
    }
    if (command != null && !command.isEmpty()) {
      if (!"disconnect".equals(command) || payload == null) {
        throw new InvalidPublicationException("unknown remote command: " + command);
      }
      return RemoteCommand.newBuilder().setDisconnect(payload).build();
    }
    throw new InvalidPublicationException("a publication needs a non-empty stream");
  }

  private static void meta(JsonParser p, JsonToken t, StreamBroadcast.Builder b) throws IOException, InvalidPublicationException {
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      throw new InvalidPublicationException("meta must be an object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "exclude_socket" -> b.setExcludeSocket(nullToEmpty(string(p, v, "meta.exclude_socket")));
        case "broadcast_type" -> b.setBroadcastType(nullToEmpty(string(p, v, "meta.broadcast_type")));
        case "transient" -> {
          if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL) {
            throw new InvalidPublicationException("meta.transient must be a boolean");
          }
          b.setTransient(v == JsonToken.VALUE_TRUE);
        }
        default -> p.skipChildren();
      }
    }
  }

  private static RemoteDisconnect.Builder payload(JsonParser p, JsonToken t) throws IOException, InvalidPublicationException {
    if (t != JsonToken.START_OBJECT) {
      throw new InvalidPublicationException("payload must be an object");
    }
    RemoteDisconnect.Builder d = RemoteDisconnect.newBuilder();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if ("identifier".equals(field)) {
        d.setIdentifiers(nullToEmpty(string(p, v, "payload.identifier")));
      } else if ("reconnect".equals(field)) {
        d.setReconnect(v == JsonToken.VALUE_TRUE);
      } else {
        p.skipChildren();
      }
    }
    return d;
  }

  private static String string(JsonParser p, JsonToken t, String field) throws IOException, InvalidPublicationException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new InvalidPublicationException(field + " must be a string");
    }
    return p.getText();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** A body that is not a valid publication: logged and counted, still answered 201. */
  static final class InvalidPublicationException extends Exception {
    InvalidPublicationException(String message) {
      super(message, null, false, false);
    }
  }
}
