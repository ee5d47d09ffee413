package io.vxcable.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.http.BodyPolicy;
import io.vxcable.http.ConnectionGuard;
import io.vxcable.http.Connections;
import io.vxcable.http.HttpExchanges;
import io.vxcable.http.PublishCheck;
import io.vxcable.http.Routes;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.MicrometerMetrics;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.session.HttpTransports;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.EndpointContext;
import io.vxcable.session.spi.HttpEndpoint;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.spi.TranslatorContext;
import io.vxcable.session.translator.Translators;
import io.vxcable.session.websocket.WebSocketEndpoint;
import io.vxcable.session.wire.WireProtocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The main port's route table: the health check, HTTP broadcasts and REST API calls forwarded over
 * the bus to the broadcast verticle when they share the port (their key and method checked and
 * their body read within {@code --http_max_body_size} here first), the translators found on the
 * class path (each on its own path, in its own protocol, served by this gateway's engine), the
 * Prometheus endpoint ({@code --metrics_http}, unless {@code --metrics_port} names another
 * listener), the HTTP transports found on the class path (SSE, long polling, Durable Streams:
 * {@link HttpTransports}), and the WebSocket paths. Every connection is guarded by request deadlines ({@link ConnectionGuard})
 * until it becomes a WebSocket, and counted for {@code --max-conn}.
 */
final class HttpFront implements Handler<HttpServerRequest> {

  static final String HEALTH_BODY = "Ah, ha, ha, ha, stayin' alive, stayin' alive.";
  /** anycable-go's upgrade header; the suffix tells which server answered. */
  static final String VERSION_HEADER = "1.6.16-vxcable";
  private static final Map<String, String> RESPONSE_HEADERS = Map.of("X-AnyCable-Version", VERSION_HEADER);

  private final GatewayOptions options;
  private final Connections connections;
  private final Routes routes = new Routes();
  private final WebSocketEndpoint webSocket;
  private final List<WebSocketEndpoint> translated = new ArrayList<>();
  private final List<HttpEndpoint> httpEndpoints;
  private volatile boolean refusing;

  /**
   * @param translators served on their paths by this gateway's engine (found on the class path)
   * @param settings the resolved settings, for the translators' own keys
   */
  HttpFront(Vertx vertx, GatewayOptions options, SessionEngine engine, List<Translator> translators, Settings settings,
      Metrics metrics) {
    this.options = options;
    this.connections = new Connections(options.port(), options.maxConn(), options.limits());
    AllowedOrigins origins = new AllowedOrigins(options.allowedOrigins());
    this.webSocket = new WebSocketEndpoint(engine, WireProtocols.actionCable(), options.websocket(), origins, RESPONSE_HEADERS);
    routes.add(options.healthPath(), req -> {
      if (refusing) {
        // Shutting down: a load balancer should send new clients elsewhere.
        req.response().setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8").end("Shutting down\n");
        return;
      }
      req.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(HEALTH_BODY);
    });
    if (metrics instanceof MicrometerMetrics m && m.config().onMainListener()) {
      routes.add(m.config().httpPath(), req -> req.response().putHeader("Content-Type", MicrometerMetrics.PROMETHEUS_TYPE)
          .end(m.scrape()));
    }
    if (options.broadcastOnMainPort()) {
      BodyPolicy policy = BodyPolicy.publish(new PublishCheck(options.broadcastKey()), options.limits());
      routes.add(options.broadcastPath(), req -> HttpExchanges.forward(vertx, req, Addresses.BROADCAST_HTTP, policy));
    }
    if (options.apiOnMainPort()) {
      BodyPolicy publish = BodyPolicy.publish(new PublishCheck(options.apiSecret()), options.limits());
      String publishPath = trimmed(options.apiPath()) + "/publish";
      routes.addTree(options.apiPath(), req -> HttpExchanges.forward(vertx, req, Addresses.BROADCAST_API,
          req.path().equals(publishPath) ? publish : BodyPolicy.none()));
    }
    TranslatorContext context = new TranslatorContext(vertx, engine, settings);
    for (Translator t : translators) {
      WebSocketEndpoint endpoint = Translators.mount(t, context, routes, options.websocket(), origins, RESPONSE_HEADERS);
      if (endpoint != null) {
        translated.add(endpoint);
      }
    }
    httpEndpoints = HttpTransports.endpoints(new EndpointContext(vertx, engine, settings, origins, RESPONSE_HEADERS));
    for (HttpEndpoint e : httpEndpoints) {
      if (e.tree()) {
        routes.addTree(e.path(), e);
      } else {
        routes.add(e.path(), e);
      }
    }
    for (String path : options.paths()) {
      routes.add(path, webSocket);
    }
  }

  /** The HTTP transports mounted (SSE, long polling, Durable Streams), for the start-up log. */
  List<HttpEndpoint> httpEndpoints() {
    return httpEndpoints;
  }

  private static String trimmed(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  void refuseNewConnections() {
    refusing = true;
    webSocket.refuseNewConnections();
    translated.forEach(WebSocketEndpoint::refuseNewConnections);
    httpEndpoints.forEach(HttpEndpoint::refuseNewConnections);
  }

  /** Request deadlines and the {@code --max-conn} cap for every accepted connection. */
  void onConnection(HttpConnection conn) {
    connections.accepted(conn);
  }

  @Override
  public void handle(HttpServerRequest req) {
    routes.handle(req);
  }
}
