package io.vxcable.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every anycable-go 1.6 option (visible, hidden, deprecated, and the Pro ones), with its default,
 * environment variables, TOML path and whether this build supports it. The catalogue drives flag
 * parsing, env and TOML loading, {@code --help}, {@code --print-config} and docs/configuration.md.
 */
public final class OptionCatalog {


  private static final List<Option> ALL = new ArrayList<>();
  private static final Map<String, Option> BY_NAME = new LinkedHashMap<>();

  private static String section;

  static {
    section = "Server";
    str("host", "localhost", "server.host", "Bind address of every HTTP listener");
    add("port", Option.Type.INT, 8080, "server.port", "Main port: WebSocket, health, and broadcasts when secured", false, false, null, List.of("PORT"));
    list("path", "/cable", "ws.paths", "WebSocket endpoint path(s), comma-separated; /x/* and /{param}/cable patterns allowed");
    str("health-path", "/health", "server.health_path", "Health check endpoint");
    str("allowed_origins", "", "server.allowed_origins", "Allowed Origin hosts (comma-separated, *.example.com wildcards); empty = no check");
    integer("max-conn", 0, "server.max_conn", "Maximum concurrent connections on the main port; 0 = unlimited");
    str("ssl_cert", "", "server.ssl.cert_path", "TLS certificate (PEM) for every listener");
    str("ssl_key", "", "server.ssl.key_path", "TLS private key (PEM)");
    str("secret", "", "secret", "Master secret: JWT, signed streams and derived broadcast/RPC/API keys fall back to it");
    str("broadcast_key", "", "broadcast_key", "Bearer key for HTTP broadcasts; `none` disables authorization");
    bool("public", false, "public", "No authentication at all: --noauth, --public_streams and unauthenticated broadcasts");
    bool("noauth", false, "noauth", "Accept every connection with identifiers {\"sid\":\"<sid>\"}");
    integer("shutdown_timeout", 30, "app.shutdown_timeout", "Seconds the graceful shutdown may take");
    integer("shutdown_delay", 0, "app.shutdown_delay", "Seconds to keep serving after a stop signal before shutting down");
    bool("shutdown_slowdrain", false, "app.shutdown_slowdrain", "Spread the disconnects of a shutdown over the shutdown timeout (less a reserve, at most 500 ms apart) instead of all at once");
    hidden("shutdown_pool_size", Option.Type.INT, 16, "app.shutdown_disconnect_gopool_size", "Accepted for compatibility (the event loops disconnect clients)");
    hidden("node_id", Option.Type.STRING, "", "node_id", "Node name in logs; random when empty");
    str("presets", "", "presets", "Presets: fly, heroku, broker, none; auto-detected when empty");
    cli("config-path", "Path to an anycable.toml file (default: ./anycable.toml, then /etc/anycable/anycable.toml)");
    cli("ignore-config-path", "Do not load any configuration file");
    cli("print-config", "Print the effective configuration as TOML and exit; keys and secrets only as set, never derived");

    section = "WebSocket";
    hidden("read_buffer_size", Option.Type.INT, 1024, "ws.read_buffer_size", "Accepted for compatibility (Netty sizes its buffers)");
    hidden("write_buffer_size", Option.Type.INT, 1024, "ws.write_buffer_size", "Accepted for compatibility (Netty sizes its buffers)");
    hidden("max_message_size", Option.Type.INT, 65536, "ws.max_message_size", "Maximum inbound message size in bytes");
    integer("ws_write_timeout", 2, "ws.write_timeout", "Seconds a write may stall before the connection is dropped");
    integer("ws_max_pending_size", 1048576, "ws.max_pending_size", "Bytes queued and not yet written before a client counts as too slow; 0 = unlimited");
    hidden("enable_ws_compression", Option.Type.BOOL, false, "ws.enable_compression", "Support permessage-deflate");

    section = "Limits (vxcable)";
    integer("http_read_header_timeout", 5, "server.read_header_timeout", "Seconds a request head may take from the connection's opening, or from the first byte of a next request (then 408 and close); 0 = no limit");
    integer("http_read_timeout", 30, "server.read_timeout", "Seconds a whole request, head and body, may take (then 408 and close); 0 = no limit");
    integer("http_idle_timeout", 60, "server.idle_timeout", "Seconds a kept-alive HTTP connection may stay silent between requests or leave a response unread (then closed); 0 = no limit");
    integer("http_max_body_size", 4194304, "server.max_body_size", "Largest HTTP request body read (broadcasts, REST API), in bytes (then 413 and close); 0 = no limit");
    integer("max_conn_rate_per_ip", 0, "server.max_conn_rate_per_ip", "New WebSocket connections per second one client address may open (IPv6: per /64); more are shed with a retry hint; 0 = no limit");
    integer("max_conn_burst_per_ip", 0, "server.max_conn_burst_per_ip", "Connections one client address may open at once before --max_conn_rate_per_ip applies; 0 = the rate");
    integer("max_pending_connections", 0, "server.max_pending_connections", "WebSocket connections being set up at once in this process (handshake to welcome: RPC Connect, JWT or session restore); more are shed with a retry hint; 0 = no limit");
    integer("max_subscriptions_per_connection", 1000, "app.max_subscriptions_per_connection", "Subscriptions one connection may hold; further subscribes are rejected; 0 = no limit");

    section = "Ping";
    integer("ping_interval", 3, "app.ping_interval", "Seconds between pings; ?pi= overrides per connection");
    hidden("ping_timestamp_precision", Option.Type.STRING, "s", "app.ping_timestamp_precision", "Ping timestamp unit: s, ms or ns; ?ptp= overrides");
    integer("pong_timeout", 0, "app.pong_timeout", "Seconds after a ping an extended-protocol client must answer; 0 = off");
    bool("enable_native_pings", false, "app.enable_native_ping", "Also send WebSocket ping frames");

    section = "Broadcasting";
    list("broadcast_adapter", "http", "broadcast_adapters", "Broadcast intakes: http, redis, redisx, nats (default http; anycable-go: http,redis)");
    add("broker", Option.Type.STRING, "", "broker.adapter", "Broker for history, sessions and presence: memory (one node), hazelcast (the cluster), redis (Redis 7 Streams) or nats (JetStream)", false, false, null, List.of());
    str("pubsub", "", "pubsub_adapter", "Node-to-node pub/sub of unclustered nodes: redis or nats (automatic: redis with --redis_url set, the redisx adapter or --broker=redis); off in a cluster, whose bus reaches every node");
    str("redis_channel", "__anycable__", "redis_pubsub_broadcast.channel", "Redis channel of the redis intake");
    str("nats_channel", "__anycable__", "nats_broadcast.channel", "NATS subject of the nats intake");
    hidden("hub_gopool_size", Option.Type.INT, 16, "app.broadcast_gopool_size", "Accepted for compatibility (fan-out runs on the gateway event loops)");

    section = "HTTP broadcast";
    integer("http_broadcast_port", 0, "http_broadcast.port", "Port of POST <path>; 0 = the main port when a key exists, else 8090");
    str("http_broadcast_path", "/_broadcast", "http_broadcast.path", "Path of the HTTP broadcast endpoint");
    add("http_broadcast_secret", Option.Type.STRING, "", "http_broadcast.secret", "Bearer key for HTTP broadcasts (deprecated: use broadcast_key)", true, true, null, List.of());
    hidden("http_broadcast_cors", Option.Type.BOOL, false, "http_broadcast.cors_headers", "Add CORS headers and answer OPTIONS");

    section = "Redis";
    add("redis_url", Option.Type.STRING, "redis://localhost:6379", "redis.url", "Redis URL (redis:// or rediss://)", false, false, null, List.of("REDIS_URL"));
    str("redis_sentinels", "", "redis.sentinels", "Sentinel addresses host:port,... (then --redis_url=redis://<master name>)");
    hidden("redis_sentinel_discovery_interval", Option.Type.INT, 30, "redis.sentinel_discovery_interval", "Accepted for compatibility (anycable-go parses it and never uses it)");
    hidden("redis_keepalive_interval", Option.Type.INT, 30, "redis.keepalive_ping_interval", "TCP keep-alive on Redis connections when > 0 (the interval is the OS's)");
    hidden("redis_tls_verify", Option.Type.BOOL, false, "redis.tls_verify", "Verify the Redis server certificate");
    str("redis_tls_ca_cert_path", "", "redis.tls_ca_cert_path", "CA bundle for rediss://");
    str("redis_tls_client_cert_path", "", "redis.tls_client_cert_path", "Client certificate (mTLS)");
    str("redis_tls_client_key_path", "", "redis.tls_client_key_path", "Client key (mTLS)");
    hidden("redis_disable_cache", Option.Type.BOOL, false, "redis.disable_cache", "Accepted for compatibility (no client-side caching here)");
    str("redisx_stream", "__anycable__", "redis_stream_broadcast.stream", "Redis Stream key of the redisx intake");
    hidden("redisx_group", Option.Type.STRING, "bx", "redis_stream_broadcast.group", "Consumer group of the redisx intake");
    hidden("redisx_read_block_milliseconds", Option.Type.INT, 2000, "redis_stream_broadcast.stream_read_block_milliseconds", "XREADGROUP BLOCK and XAUTOCLAIM idle time (ms)");

    section = "NATS";
    str("nats_servers", "nats://127.0.0.1:4222", "nats.servers", "NATS servers, comma-separated");
    hidden("nats_dont_randomize_servers", Option.Type.BOOL, false, "nats.dont_randomize_servers", "Connect to servers in order");
    bool("embed_nats", false, "embedded_nats.enabled", "Refused: no NATS server runs in a JVM; --cluster makes the nodes one server with nothing else to run");
    hidden("enats_addr", Option.Type.STRING, "nats://127.0.0.1:4222", "embedded_nats.service_addr", "Ignored (only for --embed_nats, which is refused): Embedded NATS client URL");
    hidden("enats_cluster", Option.Type.STRING, "", "embedded_nats.cluster_addr", "Ignored (only for --embed_nats, which is refused): Embedded NATS cluster URL");
    hidden("enats_cluster_name", Option.Type.STRING, "anycable-cluster", "embedded_nats.cluster_name", "Ignored (only for --embed_nats, which is refused): Embedded NATS cluster name");
    hidden("enats_cluster_routes", Option.Type.STRING, "", "embedded_nats.routes", "Ignored (only for --embed_nats, which is refused): Embedded NATS routes");
    hidden("enats_gateway", Option.Type.STRING, "", "embedded_nats.gateway_addr", "Ignored (only for --embed_nats, which is refused): Embedded NATS gateway URL");
    hidden("enats_gateways", Option.Type.STRING, "", "embedded_nats.gateways", "Ignored (only for --embed_nats, which is refused): Embedded NATS gateways");
    hidden("enats_gateway_advertise", Option.Type.STRING, "", "embedded_nats.gateway_advertise", "Ignored (only for --embed_nats, which is refused): Embedded NATS gateway advertise address");
    hidden("enats_store_dir", Option.Type.STRING, "", "embedded_nats.jetstream_store_dir", "Ignored (only for --embed_nats, which is refused): JetStream storage directory");
    hidden("enats_server_name", Option.Type.STRING, "", "embedded_nats.name", "Ignored (only for --embed_nats, which is refused): Embedded NATS server name");
    hidden("enats_debug", Option.Type.BOOL, false, "embedded_nats.debug", "Ignored (only for --embed_nats, which is refused): Embedded NATS debug logs");
    hidden("enats_trace", Option.Type.BOOL, false, "embedded_nats.trace", "Ignored (only for --embed_nats, which is refused): Embedded NATS trace logs");
    hidden("enats_max_payload", Option.Type.INT, 0, "embedded_nats.max_payload", "Ignored (only for --embed_nats, which is refused): Embedded NATS max payload");

    section = "Broker";
    add("history_limit", Option.Type.INT, 100, "broker.history_limit", "Messages kept per stream", false, false, null, List.of());
    add("history_ttl", Option.Type.INT, 300, "broker.history_ttl", "Seconds a message is kept", false, false, null, List.of());
    add("sessions_ttl", Option.Type.INT, 300, "broker.sessions_ttl", "Seconds a session can be resumed", false, false, null, List.of());
    integer("presence_ttl", 15, "broker.presence_ttl", "Seconds a presence record survives without a touch");

    section = "Cluster (vxcable)";
    bool("cluster", false, "cluster.enabled", "Join the Hazelcast cluster of the event bus (implied by --broker=hazelcast)");
    str("cluster_name", "", "cluster.name", "Hazelcast cluster name; empty = the cluster XML's (vxcable)");
    list("cluster_members", "", "cluster.members", "Members to join, host[:port] comma list; empty = the cluster XML's (127.0.0.1)");
    integer("cluster_port", 0, "cluster.port", "First Hazelcast port tried (20 from there); 0 = the cluster XML's (5701)");
    str("cluster_host", "", "cluster.host", "Interface Hazelcast binds and announces; empty = the cluster XML's (127.0.0.1)");
    str("cluster_dns", "", "cluster.dns", "A DNS name whose addresses (resolved at start) are the members, each tried on the cluster's ports: Fly's REGION.APP.internal, a Kubernetes headless service; replaces --cluster_members");

    section = "RPC";
    add("rpc_host", Option.Type.STRING, "localhost:50051", "rpc.host", "RPC server: host:port, dns:///host:port, grpc-list://, or an http(s):// base URL", false, false, null, List.of());
    bool("norpc", false, "rpc.norpc", "No RPC: identification by JWT or --noauth, channels by signed/public streams only");
    hidden("rpc_impl", Option.Type.STRING, "", "rpc.implementation", "grpc, http or none; inferred from rpc_host");
    add("rpc_concurrency", Option.Type.INT, 28, "rpc.concurrency", "Concurrent RPC calls; 0 = adaptive between rpc_concurrency_min and _max", false, false, null, List.of());
    add("rpc_concurrency_initial", Option.Type.INT, 25, "rpc.concurrency_initial", "Adaptive concurrency: initial limit (Pro)", false, false, null, List.of());
    add("rpc_concurrency_min", Option.Type.INT, 5, "rpc.concurrency_min", "Adaptive concurrency: minimum (Pro)", false, false, null, List.of());
    add("rpc_concurrency_max", Option.Type.INT, 100, "rpc.concurrency_max", "Adaptive concurrency: maximum (Pro)", false, false, null, List.of());
    add("rpc_request_timeout", Option.Type.INT, 0, "rpc.request_timeout", "Per-attempt RPC timeout (ms)", false, false, null, List.of());
    hidden("rpc_command_timeout", Option.Type.INT, 3000, "rpc.command_timeout", "Total budget per RPC call, retries included (ms)");
    hidden("http_rpc_timeout", Option.Type.INT, 0, "rpc.http_request_timeout", "HTTP RPC request timeout (ms, deprecated)");
    add("http_rpc_secret", Option.Type.STRING, "", "rpc.secret", "Bearer secret for HTTP RPC; derived from --secret", false, false, null, List.of());
    list("headers", "cookie", "rpc.proxy_headers", "Request headers passed to the application");
    list("proxy-cookies", "", "rpc.proxy_cookies", "Cookie names passed to the application; empty = all");
    hidden("rpc_enable_tls", Option.Type.BOOL, false, "rpc.enable_tls", "TLS for the RPC client");
    hidden("rpc_tls_verify", Option.Type.BOOL, true, "rpc.tls_verify", "Verify the RPC server certificate");
    hidden("rpc_tls_root_ca", Option.Type.STRING, "", "rpc.tls_root_ca_path", "RPC root CA (path or PEM)");
    hidden("rpc_max_call_recv_size", Option.Type.INT, 0, "rpc.max_recv_size", "Maximum gRPC message received");
    hidden("rpc_max_call_send_size", Option.Type.INT, 0, "rpc.max_send_size", "Maximum gRPC message sent");

    section = "Disconnect";
    str("disconnect_mode", "auto", "app.disconnect_mode", "When to call Disconnect: auto, always, never");
    hidden("disconnect_rate", Option.Type.INT, 100, "disconnector.rate", "Disconnect calls per second");
    hidden("disconnect_backlog_size", Option.Type.INT, 4096, "disconnector.backlog", "Disconnect queue capacity");
    add("disconnect_timeout", Option.Type.INT, 0, "disconnector.timeout", "Deprecated; ignored", true, true, null, List.of());
    add("disable_disconnect", Option.Type.BOOL, false, "disconnector.disabled", "Deprecated: same as --disconnect_mode=never", true, true, null, List.of());

    section = "Logging";
    str("log_level", "info", "logging.level", "debug, info, warn or error");
    str("log_format", "text", "logging.format", "text or json");
    bool("debug", false, "logging.debug", "Same as --log_level=debug");

    section = "Metrics";
    bool("metrics_log", false, "metrics.log", "Log a metrics snapshot every rotate interval (info level)");
    integer("metrics_rotate_interval", 15, "metrics.rotate_interval", "Seconds between metrics log lines and StatsD sends (counters show the delta)");
    hidden("metrics_log_interval", Option.Type.INT, 0, "metrics.log_interval", "Deprecated alias of metrics_rotate_interval (used when that is 0)");
    list("metrics_log_filter", "", "metrics.log_filter", "Metric names to log (comma-separated); all when empty");
    plannedHidden("metrics_log_formatter", Option.Type.STRING, "", "metrics.logformatter", "mruby log formatter (anycable-go's -mrb builds only)", "mruby formatters");
    str("metrics_http", "", "metrics.http_path", "Prometheus endpoint path, e.g. /metrics; off when empty");
    str("metrics_host", "", "metrics.host", "Metrics listener host; the main host when empty");
    integer("metrics_port", 0, "metrics.port", "Metrics listener port; 0 = the main port (served by the gateway)");
    add("metrics_tags", Option.Type.MAP, new JsonObject(), "metrics.tags", "Tags on every metric, k:v,k2:v2 (Prometheus labels, StatsD tags); node_id is added in a cluster", false, false, null, List.of());
    integer("stats_refresh_interval", 5, "app.stats_refresh_interval", "Seconds between samples of the interval gauges (clients_num, ...)");
    str("statsd_host", "", "metrics.statsd.host", "StatsD host:port (UDP); off when empty");
    str("statsd_prefix", "anycable_go.", "metrics.statsd.prefix", "Prefix of StatsD metric names");
    hidden("statsd_max_packet_size", Option.Type.INT, 1400, "metrics.statsd.max_packet_size", "Largest StatsD datagram in bytes");
    str("statsd_tags_format", "datadog", "metrics.statsd.tags_format", "StatsD tags format: datadog, influxdb or graphite");

    section = "JWT";
    str("jwt_secret", "", "jwt.secret", "JWT key (HS256/384/512); falls back to --secret; JWT is on when set");
    str("jwt_param", "jid", "jwt.param", "Query parameter of the token; the header is X-<param>");
    bool("enforce_jwt", false, "jwt.force", "Reject connections without a token");
    add("jwt_id_key", Option.Type.STRING, "", "jwt.id_key", "Deprecated alias of jwt_secret", true, true, null, List.of());
    add("jwt_id_param", Option.Type.STRING, "", "jwt.id_param", "Deprecated alias of jwt_param (ignored, as in anycable-go)", true, true, null, List.of());
    add("jwt_id_enforce", Option.Type.BOOL, false, "jwt.id_enforce", "Deprecated alias of enforce_jwt", true, true, null, List.of());

    section = "Signed streams";
    str("streams_secret", "", "streams.secret", "Key of signed stream names; falls back to --secret");
    bool("public_streams", false, "streams.public", "Allow unsigned stream_name subscriptions");
    bool("streams_whisper", false, "streams.whisper", "Allow whispers on signed streams");
    bool("streams_presence", true, "streams.presence", "Allow presence on signed streams");
    bool("turbo_streams", false, "streams.turbo", "Serve Turbo::StreamsChannel without RPC");
    str("turbo_streams_secret", "", "streams.turbo_secret", "Key of Turbo stream names; falls back to the streams secret");
    bool("cable_ready", false, "streams.cable_ready", "Serve CableReady::Stream without RPC");
    str("cable_ready_secret", "", "streams.cable_ready_secret", "Key of CableReady stream names; falls back to the streams secret");
    add("turbo_rails_key", Option.Type.STRING, "", "streams.turbo_rails_key", "Deprecated: sets turbo_streams_secret and turbo_streams", true, true, null, List.of());
    add("cable_ready_key", Option.Type.STRING, "", "streams.cable_ready_key", "Deprecated: sets cable_ready_secret and cable_ready", true, true, null, List.of());
    add("turbo_rails_cleartext", Option.Type.BOOL, false, "streams.turbo_rails_cleartext", "Deprecated; only warns", true, true, null, List.of());
    add("cable_ready_cleartext", Option.Type.BOOL, false, "streams.cable_ready_cleartext", "Deprecated; only warns", true, true, null, List.of());

    section = "SSE and Durable Streams";
    bool("sse", false, "sse.enabled", "Serve Server-Sent Events");
    str("sse_path", "/events", "sse.path", "SSE endpoint");
    bool("ds", false, "ds.enabled", "Serve Durable Streams (read-only; needs a broker)");
    str("ds_path", "/ds", "ds.path", "Durable Streams prefix (streams are <path>/<name>)");
    bool("ds_skip_auth", false, "ds.skip_auth", "Skip connection auth for Durable Streams (streams are still authorized)");
    integer("ds_poll_interval", 10, "ds.poll_interval", "Durable Streams long-poll wait (s)");
    integer("ds_sse_ttl", 60, "ds.sse_ttl", "Maximum Durable Streams SSE connection lifetime (s)");

    section = "REST API";
    integer("api_port", 0, "api.port", "REST API port; 0 = main port");
    str("api_path", "/api", "api.path", "REST API prefix");
    str("api_secret", "", "api.secret", "REST API bearer token; derived from --secret");

    section = "Pusher";
    str("pusher_app_id", "", "pusher.app_id", "Pusher app ID; Pusher mode (WebSocket at /app/<key>) is on when the app ID and key are set");
    str("pusher_app_key", "", "pusher.app_key", "Pusher app key");
    str("pusher_secret", "", "pusher.secret", "Pusher secret; falls back to --secret");
    integer("pusher_api_port", 0, "pusher.api_port", "Pusher HTTP API port; 0 = main port");

    section = "Pro features";
    bool("poll", false, "poll.enabled", "Serve long polling");
    str("poll_path", "/lp", "poll.path", "Long-polling endpoint");
    integer("poll_interval", 15, "poll.interval", "Longest wait of a poll request with nothing to deliver (s)");
    integer("poll_flush_interval", 500, "poll.flush_interval", "How long a waiting poll buffers messages before answering (ms)");
    // AnyCable Pro documents its env var with a typo; both spellings are read.
    add("poll_max_request_size", Option.Type.INT, 65536, "poll.max_request_size", "Largest long-poll request body (bytes)",
        false, false, null, List.of("ANYCABLE_POLL_MAX_REQEUEST_SIZE"));
    integer("poll_keepalive_timeout", 5, "poll.keepalive_timeout", "How long a poll session lives between requests (s)");
    str("graphql_path", "", "graphql.path", "Apollo GraphQL WebSocket path (graphql-ws and subscriptions-transport-ws clients); empty = off");
    str("graphql_channel", "GraphqlChannel", "graphql.channel", "Channel that executes GraphQL operations");
    str("graphql_action", "execute", "graphql.action", "Action of the GraphQL channel that executes an operation");
    str("ocpp_path", "", "ocpp.path", "OCPP 1.6 path prefix: stations connect to PREFIX/{station_id}; empty = off");
    bool("ocpp_granular_actions", true, "ocpp.granular_actions", "One channel action per OCPP command (status_notification...); false = everything to #receive");
    hidden("netpoll_enabled", Option.Type.BOOL, true, "app.netpoll_enabled", "Accepted for compatibility (AnyCable Pro's epoll switch; connections here are always served by Netty's epoll event loops)");
  }

  private OptionCatalog() {}

  public static List<Option> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The option of a flag name (with {@code -} or {@code _} as written by anycable-go); null if unknown. */
  public static Option get(String name) {
    return BY_NAME.get(name);
  }

  private static void add(String name, Option.Type type, Object def, String toml, String description, boolean hidden,
      boolean deprecated, String planned, List<String> aliases) {
    Option o = new Option(name, type, def, toml, section, description, hidden, deprecated, planned, aliases);
    ALL.add(o);
    BY_NAME.put(name, o);
  }

  private static void str(String name, String def, String toml, String d) {
    add(name, Option.Type.STRING, def, toml, d, false, false, null, List.of());
  }

  private static void integer(String name, int def, String toml, String d) {
    add(name, Option.Type.INT, def, toml, d, false, false, null, List.of());
  }

  private static void bool(String name, boolean def, String toml, String d) {
    add(name, Option.Type.BOOL, def, toml, d, false, false, null, List.of());
  }

  private static void list(String name, String def, String toml, String d) {
    add(name, Option.Type.LIST, listOf(def), toml, d, false, false, null, List.of());
  }

  private static void hidden(String name, Option.Type type, Object def, String toml, String d) {
    add(name, type, def, toml, d, true, false, null, List.of());
  }

  private static void planned(String name, Option.Type type, Object def, String toml, String d, String feature) {
    add(name, type, def, toml, d, false, false, feature, List.of());
  }

  private static void plannedHidden(String name, Option.Type type, Object def, String toml, String d, String feature) {
    add(name, type, def, toml, d, true, false, feature, List.of());
  }

  /** A command-line-only flag: no env var, no TOML key. */
  private static void cli(String name, String d) {
    add(name, name.equals("config-path") ? Option.Type.STRING : Option.Type.BOOL,
        name.equals("config-path") ? "" : false, null, d, false, false, null, List.of());
  }

  private static JsonArray listOf(String csv) {
    JsonArray a = new JsonArray();
    for (String s : csv.split(",")) {
      if (!s.isEmpty()) {
        a.add(s);
      }
    }
    return a;
  }
}
