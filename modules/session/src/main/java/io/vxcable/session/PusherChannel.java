package io.vxcable.session;

import io.vertx.core.json.JsonObject;
import io.vxcable.session.spi.Channels;
import io.vxcable.session.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@value Channels#PUSHER} channel: a Pusher channel as a subscription, served without the
 * application. The identifier is {@code {"channel":"$pusher","stream":"<channel>","auth":..,
 * "channel_data":..}} (see {@link Channels#pusher}). Public channels are confirmed as they are;
 * {@code private-} and {@code presence-} channels need Pusher's signature of the session's id (its
 * socket id): {@code "<app_key>:" + hex(HMAC-SHA256(secret, "<sid>:<channel>[:<channel_data>]"))}.
 * Checking it here rather than in the translator means no client of another protocol subscribes to
 * a private channel by naming it. Private and presence channels get whispers (client events);
 * presence channels get presence, and the member of {@code channel_data} ({@code user_id},
 * {@code user_info}) joins once confirmed.
 */
final class PusherChannel {

  private final String key;
  private final SecretKeySpec secret;

  /** @param key the app key; @param secret the signing secret (possibly empty: nothing verifies) */
  PusherChannel(String key, String secret) {
    this.key = key;
    this.secret = secret.isEmpty() ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  CommandResult subscribe(Session s, String identifier, JsonObject id) {
    String channel = string(id, "stream");
    if (channel == null || channel.isEmpty()) {
      return reject(identifier);
    }
    boolean presence = channel.startsWith("presence-");
    boolean authorised = presence || channel.startsWith("private-");
    Map<String, String> istate = new HashMap<>(2);
    CommandResult.PresenceChange join = null;
    if (authorised) {
      String data = presence ? string(id, "channel_data") : null;
      if (presence && data == null || !verify(s.sid(), channel, data, string(id, "auth"))) {
        return reject(identifier);
      }
      istate.put(StreamsRouter.WHISPER_KEY, channel);
      if (presence) {
        join = member(data);
        if (join == null) {
          return reject(identifier);
        }
        istate.put(StreamsRouter.PRESENCE_KEY, channel);
      }
    }
    return new CommandResult(Status.SUCCESS, List.of(new Reply.ConfirmSubscription(identifier)), List.of(channel),
        List.of(), false, false, istate, Map.of(), false, join);
  }

  /** Whether {@code auth} is the app key and the signature of {@code sid:channel[:data]}. */
  boolean verify(String sid, String channel, String data, String auth) {
    if (secret == null || auth == null) {
      return false;
    }
    String signed = sid + ":" + channel + (data == null ? "" : ":" + data);
    String expected = key + ":" + sign(secret, signed);
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), auth.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex HMAC-SHA256 of {@code text}. */
  static String sign(SecretKeySpec key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The join of {@code {"user_id":..,"user_info":..}}; null when it names no user. */
  private static CommandResult.PresenceChange member(String channelData) {
    JsonObject data;
    try {
      data = new JsonObject(channelData);
    } catch (RuntimeException e) {
      return null;
    }
    Object user = data.getValue("user_id");
    if (user == null || user instanceof JsonObject || user instanceof io.vertx.core.json.JsonArray) {
      return null;
    }
    Object info = data.getValue("user_info");
    String infoJson = info == null ? null : io.vertx.core.json.Json.encode(info);
    return new CommandResult.PresenceChange(true, String.valueOf(user), infoJson);
  }

  private static CommandResult reject(String identifier) {
    return CommandResult.rejected(new Reply.RejectSubscription(identifier));
  }

  private static String string(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof String str ? str : null;
  }
}
