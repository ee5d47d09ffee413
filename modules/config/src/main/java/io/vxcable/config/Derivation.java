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

  /** The brokers --broker takes. */
  static final Set<String> BROKERS = Set.of("memory", "hazelcast", "redis", "nats");

  /**
   * Presets change only values that still equal their defaults. They apply in a fixed order
   * (platform presets first, then {@code broker}), so {@code broker} sees what {@code fly} chose.
   */
  static void presets(Layers l, Map<String, String> env) {
    List<String> names = new java.util.ArrayList<>(List.of(l.string("presets").split(",")).stream().map(String::trim).toList());
    if (l.string("presets").isBlank()) {
      names.clear();
      if (present(env, "FLY_APP_NAME") && present(env, "FLY_ALLOC_ID") && present(env, "FLY_REGION")) {
        names.add("fly");
      }
      if (present(env, "HEROKU_APP_ID") && present(env, "HEROKU_DYNO_ID")) {
        names.add("heroku");
      }
    }
    List<String> order = List.of("fly", "heroku", "broker");
    names.sort(java.util.Comparator.comparingInt(n -> order.indexOf(n) < 0 ? order.size() : order.indexOf(n)));
    for (String preset : names) {
      String because = "--presets=" + preset;
      switch (preset) {
        case "fly" -> fly(l, env, because);
        case "heroku" -> setIfDefault(l, "host", "0.0.0.0", because);
        case "broker" -> {
          // A cluster shares its history through Hazelcast; one node keeps it in memory.
          setIfDefault(l, "broker", l.bool("cluster") ? "hazelcast" : "memory", because);
          // anycable-go: with a Redis URL and the default adapters, publications come from Redis
          // Streams (and Redis pub/sub) as well as HTTP, and the nodes share them over Redis pub/sub.
          if (!l.isDefault("redis_url")) {
            setIfDefault(l, "broadcast_adapter", List.of("http", "redisx", "redis"), because);
            setIfDefault(l, "pubsub", "redis", because);
          }
        }
        default -> { }
      }
    }
  }

  /**
   * Fly.io: listen on every interface; with Redis, the nodes share broadcasts over Redis pub/sub;
   * without it (where anycable-go starts an embedded NATS cluster) the nodes of the region form a
   * Hazelcast cluster found through Fly's private DNS ({@code <region>.<app>.internal}) on their
   * 6PN address.
   */
  private static void fly(Layers l, Map<String, String> env, String because) {
    setIfDefault(l, "host", "0.0.0.0", because);
    String region = env.getOrDefault("FLY_REGION", "");
    String rpcApp = env.get("ANYCABLE_FLY_RPC_APP_NAME");
    if (rpcApp != null && !rpcApp.isEmpty()) {
      setIfDefault(l, "rpc_host", "dns:///" + region + "." + rpcApp + ".internal:50051", because);
    }
    if (!l.isDefault("pubsub")) {
      return;
    }
    if (!l.isDefault("redis_url")) {
      setIfDefault(l, "pubsub", "redis", because);
      return;
    }
    String app = env.getOrDefault("FLY_APP_NAME", "");
    if (!app.isEmpty() && !region.isEmpty()) {
      setIfDefault(l, "cluster", true, because);
      setIfDefault(l, "cluster_dns", region + "." + app + ".internal", because);
      String privateIp = env.getOrDefault("FLY_PRIVATE_IP", "");
      if (!privateIp.isEmpty()) {
        setIfDefault(l, "cluster_host", privateIp, because);
      }
    }
  }

  /** Values this server refuses, each with what to use instead. */
  static void checkSupported(Layers l) {
    String broker = l.string("broker");
    if (!broker.isEmpty() && !broker.equals("none") && !BROKERS.contains(broker)) {
      String origin = l.derived.contains("broker") ? l.origin("broker") + " sets --broker=" + broker + ", which" : l.origin("broker") + "=" + broker;
      throw new ConfigException(origin + " is not a broker (expected memory, hazelcast, redis, nats or none)");
    }
    String pubsub = l.string("pubsub");
    if (!pubsub.isEmpty() && !Set.of("redis", "nats", "none").contains(pubsub)) {
      throw new ConfigException(l.origin("pubsub") + "=" + pubsub + " is not a pub/sub adapter (expected redis, nats or none)");
    }
    if (l.bool("embed_nats")) {
      throw new ConfigException(l.origin("embed_nats") + " is not available: no NATS server runs inside a JVM. Use --cluster "
          + "(the nodes form an embedded Hazelcast cluster, nothing else to run; docs/migrating.md), or run nats-server and "
          + "point --nats_servers at it");
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
        throw new ConfigException(what + " is not supported (" + o.planned() + ")");
      }
    }
  }

  static void derive(Layers l) {
    if (l.bool("debug")) {
      l.derive("log_level", "debug", "--debug");
    }
    // anycable-go's automatic Redis pub/sub: nodes that share a Redis share their broadcasts.
    if (l.isDefault("pubsub") && (!l.isDefault("redis_url") || l.list("broadcast_adapter").contains("redisx")
        || l.string("broker").equals("redis"))) {
      l.derive("pubsub", "redis", !l.isDefault("redis_url") ? "--redis_url"
          : l.string("broker").equals("redis") ? "--broker=redis" : "--broadcast_adapter=redisx");
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
