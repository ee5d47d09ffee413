package io.vxcable.broadcast;

import io.vxcable.backends.NatsSettings;
import io.vxcable.backends.RedisSettings;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.http.HttpLimits;
import java.util.List;

/**
 * Immutable intake configuration, from resolved {@link Settings} (keys are anycable-go flags).
 *
 * @param adapters enabled broadcast adapters: {@code http}, {@code redis}, {@code redisx} and {@code nats}
 * @param host bind address
 * @param mainPort the gateway's port; when equal to {@code port}, POSTs arrive over the bus
 * @param port the effective HTTP broadcast port
 * @param path the broadcast endpoint
 * @param key the bearer key; empty = no authorization
 * @param cors answer OPTIONS and add CORS headers
 * @param allowedOrigins origins echoed in CORS headers; empty = {@code *}
 * @param sslCert PEM certificate for TLS; empty = plain text
 * @param sslKey PEM key
 * @param broker publications go through the broker ({@code --broker} set) to be stamped and stored
 * @param api the REST API is on ({@code --public}, {@code --api_port} or an API secret)
 * @param apiPort {@code --api_port}; 0 = the main port (the gateway forwards)
 * @param apiPath {@code --api_path}
 * @param apiSecret bearer token of the REST API; empty = none
 * @param redisSettings {@code --redis_url}, sentinels and TLS for the {@code redis} and {@code redisx} adapters
 * @param redisChannel {@code --redis_channel}, the channel the {@code redis} adapter subscribes to
 * @param redisxStream {@code --redisx_stream}, the stream the {@code redisx} adapter consumes
 * @param redisxGroup {@code --redisx_group}, its consumer group
 * @param redisxBlockMs {@code --redisx_read_block_milliseconds}: XREADGROUP BLOCK and XAUTOCLAIM min-idle
 * @param natsSettings {@code --nats_servers} and {@code --nats_dont_randomize_servers}
 * @param natsChannel {@code --nats_channel}, the subject the {@code nats} adapter subscribes to
 * @param limits request deadlines and the body limit of this verticle's own listeners
 */
public record BroadcastOptions(
    List<String> adapters,
    String host,
    int mainPort,
    int port,
    String path,
    String key,
    boolean cors,
    List<String> allowedOrigins,
    String sslCert,
    String sslKey,
    boolean broker,
    boolean api,
    int apiPort,
    String apiPath,
    String apiSecret,
    RedisSettings redisSettings,
    String redisChannel,
    String redisxStream,
    String redisxGroup,
    int redisxBlockMs,
    NatsSettings natsSettings,
    String natsChannel,
    HttpLimits limits) {

  public static final List<String> SUPPORTED = List.of("http", "redis", "redisx", "nats");

  public BroadcastOptions {
    adapters = List.copyOf(adapters);
    allowedOrigins = List.copyOf(allowedOrigins);
    for (String a : adapters) {
      if (!SUPPORTED.contains(a)) {
        throw new ConfigException("unknown broadcast adapter: " + a + " (expected http, redis, redisx or nats)");
      }
    }
  }

  public static BroadcastOptions from(Settings s) {
    return new BroadcastOptions(
        s.list("broadcast_adapter"),
        s.string("host"),
        s.integer("port"),
        s.integer("http_broadcast_port"),
        s.string("http_broadcast_path"),
        s.string("http_broadcast_secret"),
        s.bool("http_broadcast_cors"),
        s.list("allowed_origins").stream().map(String::toLowerCase).toList(),
        s.string("ssl_cert"),
        s.string("ssl_key"),
        !s.string("broker").isEmpty() && !s.string("broker").equals("none"),
        // anycable-go serves its REST API when public, on its own port, or with a secret.
        s.bool("public") || s.integer("api_port") != 0 || !s.string("api_secret").isEmpty(),
        s.integer("api_port"),
        s.string("api_path"),
        s.string("api_secret"),
        RedisSettings.from(s),
        s.string("redis_channel"),
        s.string("redisx_stream"),
        s.string("redisx_group"),
        s.integer("redisx_read_block_milliseconds"),
        NatsSettings.from(s),
        s.string("nats_channel"),
        HttpLimits.from(s));
  }

  /** Whether the legacy {@code nats} adapter is on. */
  public boolean nats() {
    return adapters.contains("nats");
  }

  /** Whether the {@code redisx} (Redis Streams) adapter is on. */
  public boolean redisx() {
    return adapters.contains("redisx");
  }

  /** Whether the legacy {@code redis} pub/sub adapter is on. */
  public boolean redis() {
    return adapters.contains("redis");
  }

  /** Whether the REST API has a listener of its own (neither the main port nor the broadcast port). */
  public boolean ownApiListener() {
    return api && apiPort != 0 && apiPort != mainPort && !(ownListener() && apiPort == port);
  }

  /** Whether the REST API shares the broadcast intake's own listener. */
  public boolean apiOnBroadcastListener() {
    return api && ownListener() && apiPort == port;
  }

  public boolean http() {
    return adapters.contains("http");
  }

  /** Whether this verticle listens itself (otherwise the gateway owning the port forwards). */
  public boolean ownListener() {
    return http() && port != mainPort;
  }
}
