package io.vxcable.broadcast;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusRequests;
import io.vxcable.contracts.bus.PresenceInfoReply;
import io.vxcable.contracts.bus.PresenceInfoRequest;
import io.vxcable.contracts.bus.PresenceRecord;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.Hmac;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The Pusher HTTP API at {@code /apps/<--pusher_app_id>/}, for Pusher's server SDKs:
 * {@code POST events} (one channel or several, {@code socket_id} left out), {@code POST batch_events}
 * and {@code GET channels/<presence channel>/users}. Every request carries Pusher's signature in its
 * query: {@code auth_key} (the app key), {@code auth_timestamp} (within 600 s), {@code auth_version},
 * {@code body_md5} (a POST's body) and {@code auth_signature} =
 * {@code hex(HMAC-SHA256(secret, "<METHOD>\n<path>\n<the other parameters, sorted, k=v joined with &>"))}.
 * An event is published to the channel's stream as {@code {"event":<name>,"data":<data>}}, which
 * the Pusher translator writes as {@code {"event","channel","data"}}.
 */
final class PusherApi {

  /** A status and a body (null = none). */
  record Response(int status, String body) {}

  private final EventBus bus;
  private final String prefix;
  private final String key;
  private final String secret;
  private final Publisher publisher;
  private final LongSupplier clock;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(5_000);

  /**
   * @param secret {@code --pusher_secret} (derived from {@code --secret})
   * @param clock unix seconds
   */
  PusherApi(EventBus bus, String appId, String key, String secret, Publisher publisher, LongSupplier clock) {
    this.bus = bus;
    this.prefix = "/apps/" + appId;
    this.key = key;
    this.secret = secret;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** The tree this API answers: {@code /apps/<app id>}. */
  String prefix() {
    return prefix;
  }

  boolean owns(String path) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  Future<Response> handle(String method, String path, String query, byte[] body) {
    String refusal = refusal(method, path, query, body);
    if (refusal != null) {
      return Future.succeededFuture(new Response(401, refusal));
    }
    String rest = path.substring(prefix.length());
    if ("POST".equals(method) && rest.equals("/events")) {
      return events(body, false);
    }
    if ("POST".equals(method) && rest.equals("/batch_events")) {
      return events(body, true);
    }
    if ("GET".equals(method) && rest.startsWith("/channels/") && rest.endsWith("/users")) {
      String channel = decode(rest.substring("/channels/".length(), rest.length() - "/users".length()));
      return channel.startsWith("presence-") ? users(channel) : Future.succeededFuture(new Response(400, "presence channels only\n"));
    }
    return Future.succeededFuture(new Response(404, null));
  }

  /** Why the signature does not hold (Pusher's 401 messages), or null when it does. */
  String refusal(String method, String path, String query, byte[] body) {
    Map<String, String> params = params(query);
    if (!key.equals(params.get("auth_key"))) {
      return "Unknown auth_key\n";
    }
    long ts;
    try {
      ts = Long.parseLong(params.getOrDefault("auth_timestamp", ""));
    } catch (NumberFormatException e) {
      return "Missing or invalid auth_timestamp\n";
    }
    if (Math.abs(clock.getAsLong() - ts) > 600) {
      return "Timestamp expired: Given timestamp (" + ts + ") not within 600s of server time (" + clock.getAsLong() + ")\n";
    }
    if ("POST".equals(method) && !md5(body).equals(params.get("body_md5"))) {
      return "Invalid body_md5\n";
    }
    String signature = params.remove("auth_signature");
    StringBuilder signed = new StringBuilder(method).append('\n').append(path).append('\n');
    boolean first = true;
    for (Map.Entry<String, String> p : params.entrySet()) {
      signed.append(first ? "" : "&").append(p.getKey()).append('=').append(p.getValue());
      first = false;
    }
    String expected = Hmac.hexSha256(secret, signed.toString());
    if (signature == null || !Hmac.constantTimeEquals(expected, signature)) {
      return "Invalid signature: you should have sent HmacSHA256Hex(" + JsonArray.of(signed.toString()).encode()
          + ", your_secret_key), but you sent " + JsonArray.of(String.valueOf(signature)).encode() + "\n";
    }
    return null;
  }

  /** {@code events}: {@code {name,data,channel|channels,socket_id}}; {@code batch_events}: {@code {"batch":[...]}}. */
  private Future<Response> events(byte[] body, boolean batch) {
    List<StreamBroadcast> broadcasts = new ArrayList<>();
    try {
      JsonObject request = new JsonObject(new String(body, StandardCharsets.UTF_8));
      if (batch) {
        for (Object event : request.getJsonArray("batch", new JsonArray())) {
          add((JsonObject) event, broadcasts);
        }
      } else {
        add(request, broadcasts);
      }
    } catch (RuntimeException e) {
      return Future.succeededFuture(new Response(422, null));
    }
    if (broadcasts.isEmpty()) {
      return Future.succeededFuture(new Response(400, "no channel\n"));
    }
    return publisher.publish(broadcasts).map(v -> new Response(200, batch ? batchReply(broadcasts.size()) : "{}"));
  }

  private static String batchReply(int n) {
    JsonArray results = new JsonArray();
    for (int i = 0; i < n; i++) {
      results.add(new JsonObject());
    }
    return new JsonObject().put("batch", results).encode();
  }

  private static void add(JsonObject event, List<StreamBroadcast> out) {
    String name = event.getString("name");
    if (name == null) {
      throw new IllegalArgumentException("an event needs a name");
    }
    List<String> channels = new ArrayList<>();
    if (event.getValue("channel") instanceof String one) {
      channels.add(one);
    }
    for (Object c : event.getJsonArray("channels", new JsonArray())) {
      channels.add((String) c);
    }
    String message = new JsonObject().put("event", name).put("data", event.getValue("data")).encode();
    String socket = event.getValue("socket_id") instanceof String s ? s : "";
    for (String channel : channels) {
      out.add(StreamBroadcast.newBuilder().setStream(channel).setMessage(ByteString.copyFromUtf8(message))
          .setExcludeSocket(socket).build());
    }
  }

  /** {@code {"users":[{"id":".."}]}}; empty for an unknown channel, 501 without presence. */
  private Future<Response> users(String channel) {
    return BusRequests.<PresenceInfoReply>localFirst(bus, Addresses.PRESENCE_INFO,
            PresenceInfoRequest.newBuilder().setStream(channel).build(), options)
        .map(reply -> {
          PresenceInfoReply r = reply.body();
          if (!r.getError().isEmpty()) {
            return new Response(400, null);
          }
          JsonArray users = new JsonArray();
          for (PresenceRecord rec : r.getRecordsList()) {
            users.add(new JsonObject().put("id", rec.getId()));
          }
          return new Response(200, new JsonObject().put("users", users).encode());
        })
        .otherwise(err -> {
          boolean missing = err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
          return new Response(missing ? 501 : 400, null);
        });
  }

  /** The query's parameters, decoded, sorted by name (lower-cased, as Pusher signs them). */
  static Map<String, String> params(String query) {
    Map<String, String> out = new TreeMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
      out.put(k, eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  static String md5(byte[] body) {
    try {
      return Hmac.hex(MessageDigest.getInstance("MD5").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
