package io.vxcable.config;

import io.vertx.core.json.JsonArray;
import io.vxcable.protocol.Hmac;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The steps anycable-go applies after parsing: presets, the supported-feature check, derived
 * settings (secret fallbacks, derived keys, the HTTP broadcast port, --public), and validation.
 */
final class Derivation {

  static final Set<String> ADAPTERS = Set.of("http", "redis", "redisx", "nats");
  static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error");
  private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

  private Derivation() {}

  static void apply(Layers l, Map<String, String> env) {
    presets(l, env);
    checkSupported(l);
    derive(l);
    validate(l);
  }

  /** Presets change only values that still equal their defaults. */
  static void presets(Layers l, Map<String, String> env) {
    List<String> names = List.of(l.string("presets").split(","));
    if (l.string("presets").isBlank()) {
      names = new java.util.ArrayList<>();
      if (present(env, "FLY_APP_NAME") && present(env, "FLY_ALLOC_ID") && present(env, "FLY_REGION")) {
        names.add("fly");
      }
      if (present(env, "HEROKU_APP_ID") && present(env, "HEROKU_DYNO_ID")) {
        names.add("heroku");
      }
    }
    for (String raw : names) {
      String preset = raw.trim();
      String because = "--presets=" + preset;
      switch (preset) {
        case "fly" -> {
          setIfDefault(l, "host", "0.0.0.0", because);
          String rpcApp = env.get("ANYCABLE_FLY_RPC_APP_NAME");
          if (rpcApp != null && !rpcApp.isEmpty()) {
            setIfDefault(l, "rpc_host", "dns:///" + env.getOrDefault("FLY_REGION", "") + "." + rpcApp + ".internal:50051", because);
          }
        }
        case "heroku" -> setIfDefault(l, "host", "0.0.0.0", because);
        case "broker" -> {
          setIfDefault(l, "broker", l.bool("embed_nats") ? "nats" : "memory", because);
          // anycable-go: with a Redis URL and the default adapters, publications come from Redis
          // Streams (and Redis pub/sub) as well as HTTP.
          if (!l.bool("embed_nats") && !l.isDefault("redis_url")) {
            setIfDefault(l, "broadcast_adapter", List.of("http", "redisx", "redis"), because);
          }
        }
        default -> { }
      }
    }
  }

  /** A planned option with a non-default value stops start-up with a message naming it. */
  static void checkSupported(Layers l) {
    String broker = l.string("broker");
    if (!broker.isEmpty() && !broker.equals("none") && !broker.equals("memory") && !broker.equals("hazelcast")) {
      String origin = l.derived.contains("broker") ? l.origin("broker") + " sets --broker=" + broker + ", which" : l.origin("broker") + "=" + broker;
      throw new ConfigException(origin + " is not supported yet (planned: " + OptionCatalog.BROKER + ")");
    }
    for (String adapter : l.list("broadcast_adapter").stream().map(String::valueOf).toList()) {
      if (!ADAPTERS.contains(adapter)) {
        throw new ConfigException("unknown broadcast adapter: " + adapter + " (expected http, redis, redisx or nats)");
      }
    }
    for (Option o : OptionCatalog.all()) {
      if (!o.supported() && !l.isDefault(o.name())) {
        String origin = l.origin(o.name());
        String what = l.derived.contains(o.name())
            ? origin + " sets --" + o.name() + "=" + l.get(o.name()) + ", which"
            : origin;
        throw new ConfigException(what + " is not supported yet (planned: " + o.planned() + ")");
      }
    }
  }

  static void derive(Layers l) {
    if (l.bool("debug")) {
      l.derive("log_level", "debug", "--debug");
    }
    if (l.bool("disable_disconnect")) {
      l.derive("disconnect_mode", "never", "--disable_disconnect");
    }
    // Deprecated aliases.
    if (!l.string("turbo_rails_key").isEmpty()) {
      l.derive("turbo_streams_secret", l.string("turbo_rails_key"), "--turbo_rails_key");
      l.derive("turbo_streams", true, "--turbo_rails_key");
    }
    if (!l.string("cable_ready_key").isEmpty()) {
      l.derive("cable_ready_secret", l.string("cable_ready_key"), "--cable_ready_key");
      l.derive("cable_ready", true, "--cable_ready_key");
    }
    if (!l.string("jwt_id_key").isEmpty() && l.string("jwt_secret").isEmpty()) {
      l.derive("jwt_secret", l.string("jwt_id_key"), "--jwt_id_key");
    }
    if (l.bool("jwt_id_enforce")) {
      l.derive("enforce_jwt", true, "--jwt_id_enforce");
    }
    // The HTTP broadcast key: explicit secret, else broadcast_key, else derived from --secret.
    // "none" disables a key and, unlike anycable-go, never becomes a key to derive from.
    String secret = none(l.string("secret"));
    l.derive("secret", secret, "--secret");
    String broadcastKey = l.string("http_broadcast_secret");
    if (broadcastKey.isEmpty()) {
      broadcastKey = l.string("broadcast_key");
    }
    boolean broadcastDisabled = "none".equals(broadcastKey);
    broadcastKey = none(broadcastKey);
    if (broadcastKey.isEmpty() && !broadcastDisabled && !secret.isEmpty()) {
      broadcastKey = hexHmac(secret, "broadcast-cable");
    }
    l.values.put("http_broadcast_secret", broadcastKey);
    l.values.put("streams_secret", fallback(l.string("streams_secret"), secret));
    l.values.put("jwt_secret", fallback(l.string("jwt_secret"), secret));
    l.values.put("pusher_secret", fallback(l.string("pusher_secret"), secret));
    l.values.put("http_rpc_secret", derived(l.string("http_rpc_secret"), secret, "rpc-cable"));
    l.values.put("api_secret", derived(l.string("api_secret"), secret, "api-cable"));
    String streams = l.string("streams_secret");
    l.values.put("turbo_streams_secret", fallback(l.string("turbo_streams_secret"), streams));
    l.values.put("cable_ready_secret", fallback(l.string("cable_ready_secret"), streams));
    // Port rule, computed before --public: the main port when secured, 8090 otherwise.
    if (l.integer("http_broadcast_port") == 0) {
      l.values.put("http_broadcast_port", broadcastKey.isEmpty() ? 8090 : l.integer("port"));
    }
    if (l.bool("public")) {
      l.values.put("noauth", true);
      l.values.put("public_streams", true);
      l.values.put("http_broadcast_secret", "");
    }
    if (l.string("node_id").isEmpty()) {
      l.values.put("node_id", randomId(6));
    }
  }

  static void validate(Layers l) {
    if (!LOG_LEVELS.contains(l.string("log_level"))) {
      throw new ConfigException("unknown log level \"" + l.string("log_level") + "\" for " + l.origin("log_level")
          + " (expected debug, info, warn or error)");
    }
    if (!Set.of("text", "json").contains(l.string("log_format"))) {
      throw new ConfigException("unknown log format \"" + l.string("log_format") + "\" for " + l.origin("log_format")
          + " (expected text or json)");
    }
    for (String name : List.of("port", "http_broadcast_port")) {
      int p = l.integer(name);
      if (p < 0 || p > 65535) {
        throw new ConfigException("invalid port " + p + " for " + l.origin(name));
      }
    }
    JsonArray paths = l.list("path");
    if (paths.isEmpty()) {
      throw new ConfigException("--path needs at least one path");
    }
    for (Object p : paths) {
      if (!p.toString().startsWith("/")) {
        throw new ConfigException("invalid path \"" + p + "\" for " + l.origin("path") + ": paths start with /");
      }
    }
    if (!l.string("http_broadcast_path").startsWith("/")) {
      throw new ConfigException("invalid path for " + l.origin("http_broadcast_path") + ": paths start with /");
    }
    if (l.string("ssl_cert").isEmpty() != l.string("ssl_key").isEmpty()) {
      throw new ConfigException("--ssl_cert and --ssl_key go together");
    }
    for (String name : List.of("max-conn", "ws_max_pending_size", "ws_write_timeout", "shutdown_timeout", "shutdown_delay",
        "pong_timeout")) {
      if (l.integer(name) < 0) {
        throw new ConfigException("invalid value " + l.integer(name) + " for " + l.origin(name) + ": must not be negative");
      }
    }
    if (l.integer("max_message_size") <= 0) {
      throw new ConfigException("invalid value for " + l.origin("max_message_size") + ": must be positive");
    }
  }

  static String hexHmac(String key, String message) {
    return Hmac.hexSha256(key, message);
  }

  private static void setIfDefault(Layers l, String name, Object value, String because) {
    if (l.isDefault(name) && !Objects.equals(l.get(name), value)) {
      l.derive(name, value, because);
    }
  }

  private static boolean present(Map<String, String> env, String key) {
    return env.get(key) != null && !env.get(key).isEmpty();
  }

  private static String none(String v) {
    return "none".equals(v) ? "" : v;
  }

  /** An explicit value (or "none" = disabled), else the fallback. */
  private static String fallback(String value, String fallback) {
    if ("none".equals(value)) {
      return "";
    }
    return value.isEmpty() ? fallback : value;
  }

  private static String derived(String value, String secret, String phrase) {
    if ("none".equals(value)) {
      return "";
    }
    if (!value.isEmpty() || secret.isEmpty()) {
      return value;
    }
    return hexHmac(secret, phrase);
  }

  static String randomId(int length) {
    SecureRandom r = new SecureRandom();
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ID_ALPHABET[r.nextInt(ID_ALPHABET.length)];
    }
    return new String(out);
  }
}
