package io.vxcable.gateway;

import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.http.HttpLimits;
import io.vxcable.session.SessionOptions;
import io.vxcable.session.websocket.WebSocketOptions;
import java.util.List;

/**
 * Immutable gateway configuration, read from resolved {@link Settings} (keys are anycable-go flag
 * names, defaults are anycable-go's): the main listener's own settings, and those of the session
 * engine and the WebSocket transport it serves. Durations are in seconds unless noted.
 *
 * @param host bind address of the main listener
 * @param port main port: WebSocket paths, health, and HTTP broadcasts when they share it
 * @param paths WebSocket endpoint patterns ({@code /cable}, {@code /x/*}, {@code /{tenant}/cable})
 * @param healthPath health endpoint
 * @param allowedOrigins origin patterns; empty = no check
 * @param maxConn concurrent connection cap on the main listener; 0 = unlimited
 * @param sslCert PEM certificate path; empty = plain text
 * @param sslKey PEM key path
 * @param broadcastPath path of HTTP broadcasts served on the main port (forwarded to the intake)
 * @param broadcastOnMainPort whether HTTP broadcasts share the main port
 * @param shutdownTimeout seconds the graceful shutdown may take
 * @param shutdownDelay seconds to keep serving before shutdown starts
 * @param shutdownSlowdrain spread the shutdown's disconnects over the shutdown timeout
 * @param apiPath the REST API prefix
 * @param apiOnMainPort whether the REST API shares the main port (forwarded to the broadcast verticle)
 * @param broadcastKey the HTTP broadcast key as this node resolves it (checked before a forwarded
 *     body is read; the broadcast verticle checks again); empty = none
 * @param apiSecret the REST API key as this node resolves it; empty = none
 * @param limits request deadlines and the body limit of the main listener
 * @param session the session engine's settings
 * @param websocket the WebSocket transport's settings
 */
public record GatewayOptions(
    String host,
    int port,
    List<String> paths,
    String healthPath,
    List<String> allowedOrigins,
    int maxConn,
    String sslCert,
    String sslKey,
    String broadcastPath,
    boolean broadcastOnMainPort,
    int shutdownTimeout,
    int shutdownDelay,
    boolean shutdownSlowdrain,
    String apiPath,
    boolean apiOnMainPort,
    String broadcastKey,
    String apiSecret,
    HttpLimits limits,
    SessionOptions session,
    WebSocketOptions websocket) {

  public GatewayOptions {
    paths = List.copyOf(paths);
    allowedOrigins = List.copyOf(allowedOrigins);
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
        s.string("ssl_cert"),
        s.string("ssl_key"),
        s.string("http_broadcast_path"),
        broadcastHttp && broadcastPort == s.integer("port"),
        s.integer("shutdown_timeout"),
        s.integer("shutdown_delay"),
        s.bool("shutdown_slowdrain"),
        s.string("api_path"),
        (s.bool("public") || s.integer("api_port") != 0 || !s.string("api_secret").isEmpty())
            && (s.integer("api_port") == 0 || s.integer("api_port") == s.integer("port")),
        s.string("http_broadcast_secret"),
        s.string("api_secret"),
        HttpLimits.from(s),
        SessionOptions.from(s),
        WebSocketOptions.from(s));
  }

  public boolean tls() {
    return !sslCert.isEmpty();
  }
}
