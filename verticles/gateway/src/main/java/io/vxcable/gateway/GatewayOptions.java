package io.vxcable.gateway;

import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.http.HttpLimits;
import java.util.List;

/**
 * Immutable gateway configuration, read from resolved {@link Settings} (keys are anycable-go flag
 * names, defaults are anycable-go's). Durations are in the unit of the flag: seconds unless noted.
 *
 * @param host bind address of the main listener
 * @param port main port: WebSocket paths, health, and HTTP broadcasts when they share it
 * @param paths WebSocket endpoint patterns ({@code /cable}, {@code /x/*}, {@code /{tenant}/cable})
 * @param healthPath health endpoint
 * @param allowedOrigins origin patterns; empty = no check
 * @param maxConn concurrent connection cap on the main listener; 0 = unlimited
 * @param maxMessageSize inbound message limit in bytes
 * @param sslCert PEM certificate path; empty = plain text
 * @param sslKey PEM key path
 * @param compression permessage-deflate support
 * @param writeTimeout seconds a pending write may stall before the connection is closed
 * @param maxPendingSize bytes queued and not yet written before the client counts as slow; 0 = unlimited
 * @param pingInterval seconds between pings; 0 or less disables them
 * @param pingPrecision {@code s}, {@code ms} or {@code ns}
 * @param pongTimeout seconds after a ping a client must send something (ext protocol); 0 = off
 * @param nativePings also send WebSocket ping frames
 * @param norpc no RPC: unknown channels are rejected locally
 * @param noauth accept every connection with identifiers {@code {"sid":"<sid>"}}
 * @param publicStreams allow unsigned {@code stream_name}
 * @param streamsSecret key for signed stream names; empty = signed streams unavailable
 * @param streamsWhisper whispers on signed streams
 * @param streamsPresence presence on signed streams
 * @param turboSecret key for Turbo::StreamsChannel; empty = route disabled
 * @param cableReadySecret key for CableReady::Stream; empty = route disabled
 * @param jwtSecret JWT key; empty = JWT identification off
 * @param jwtParam query param name; the header is {@code x-<param>}
 * @param enforceJwt reject connections without a token
 * @param broadcastPath path of HTTP broadcasts served on the main port (forwarded to the intake)
 * @param broadcastOnMainPort whether HTTP broadcasts share the main port
 * @param shutdownTimeout seconds the graceful shutdown may take
 * @param shutdownDelay seconds to keep serving before shutdown starts
 * @param headers request headers copied into the RPC env
 * @param proxyCookies cookie names kept in the proxied cookie header; empty = all
 * @param disconnectMode when to call Disconnect: auto (sessions the application is interested in),
 *     always, never (anything else behaves like never, as in anycable-go)
 * @param rpcTimeoutMs how long a gateway waits for the rpc verticle's answer (command budget + 1 s)
 * @param broker a broker is deployed: history is served and sessions are cached
 * @param sessionsTtl seconds a session can be resumed (0 = never)
 * @param presenceTtl seconds a presence record outlives its session's last keep-alive
 * @param apiPath the REST API prefix
 * @param apiOnMainPort whether the REST API shares the main port (forwarded to the broadcast verticle)
 * @param broadcastKey the HTTP broadcast key as this node resolves it (checked before a forwarded
 *     body is read; the broadcast verticle checks again); empty = none
 * @param apiSecret the REST API key as this node resolves it; empty = none
 * @param limits request deadlines and the body limit of the main listener
 * @param maxSubscriptions subscriptions one connection may hold; 0 = unlimited
 */
public record GatewayOptions(
    String host,
    int port,
    List<String> paths,
    String healthPath,
    List<String> allowedOrigins,
    int maxConn,
    int maxMessageSize,
    String sslCert,
    String sslKey,
    boolean compression,
    int writeTimeout,
    int maxPendingSize,
    int pingInterval,
    String pingPrecision,
    int pongTimeout,
    boolean nativePings,
    boolean norpc,
    boolean noauth,
    boolean publicStreams,
    String streamsSecret,
    boolean streamsWhisper,
    boolean streamsPresence,
    String turboSecret,
    String cableReadySecret,
    String jwtSecret,
    String jwtParam,
    boolean enforceJwt,
    String broadcastPath,
    boolean broadcastOnMainPort,
    int shutdownTimeout,
    int shutdownDelay,
    List<String> headers,
    List<String> proxyCookies,
    String disconnectMode,
    long rpcTimeoutMs,
    boolean broker,
    int sessionsTtl,
    int presenceTtl,
    String apiPath,
    boolean apiOnMainPort,
    String broadcastKey,
    String apiSecret,
    HttpLimits limits,
    int maxSubscriptions) {

  public GatewayOptions {
    paths = List.copyOf(paths);
    allowedOrigins = List.copyOf(allowedOrigins);
    headers = List.copyOf(headers);
    proxyCookies = List.copyOf(proxyCookies);
    if (paths.isEmpty()) {
      throw new ConfigException("--path must name at least one WebSocket path");
    }
  }

  public static GatewayOptions from(Settings s) {
    boolean broadcastHttp = s.list("broadcast_adapter").contains("http");
    int broadcastPort = s.integer("http_broadcast_port");
    return new GatewayOptions(
        s.string("host"),
        s.integer("port"),
        s.list("path"),
        s.string("health-path"),
        s.list("allowed_origins").stream().map(String::toLowerCase).toList(),
        s.integer("max-conn"),
        s.integer("max_message_size"),
        s.string("ssl_cert"),
        s.string("ssl_key"),
        s.bool("enable_ws_compression"),
        s.integer("ws_write_timeout"),
        s.integer("ws_max_pending_size"),
        s.integer("ping_interval"),
        s.string("ping_timestamp_precision"),
        s.integer("pong_timeout"),
        s.bool("enable_native_pings"),
        s.bool("norpc"),
        s.bool("noauth"),
        s.bool("public_streams"),
        s.string("streams_secret"),
        s.bool("streams_whisper"),
        s.bool("streams_presence"),
        s.bool("turbo_streams") ? s.string("turbo_streams_secret") : "",
        s.bool("cable_ready") ? s.string("cable_ready_secret") : "",
        s.string("jwt_secret"),
        s.string("jwt_param"),
        s.bool("enforce_jwt"),
        s.string("http_broadcast_path"),
        broadcastHttp && broadcastPort == s.integer("port"),
        s.integer("shutdown_timeout"),
        s.integer("shutdown_delay"),
        s.list("headers").stream().map(String::toLowerCase).toList(),
        s.list("proxy-cookies"),
        s.string("disconnect_mode"),
        Math.max(1, s.integer("rpc_command_timeout")) + 1000L,
        !s.string("broker").isEmpty() && !s.string("broker").equals("none"),
        s.integer("sessions_ttl"),
        s.integer("presence_ttl"),
        s.string("api_path"),
        (s.bool("public") || s.integer("api_port") != 0 || !s.string("api_secret").isEmpty())
            && (s.integer("api_port") == 0 || s.integer("api_port") == s.integer("port")),
        s.string("http_broadcast_secret"),
        s.string("api_secret"),
        HttpLimits.from(s),
        Math.max(0, s.integer("max_subscriptions_per_connection")));
  }

  /** Sessions of the extended protocol are cached and can be resumed. */
  public boolean resumable() {
    return broker && sessionsTtl > 0;
  }

  public boolean tls() {
    return !sslCert.isEmpty();
  }
}
