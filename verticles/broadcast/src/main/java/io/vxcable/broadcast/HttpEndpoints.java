package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.HttpExchange;
import io.vxcable.contracts.bus.HttpExchangeReply;
import io.vxcable.http.BodyPolicy;
import io.vxcable.http.HttpExchanges;
import io.vxcable.http.PublishCheck;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.protocol.Cors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The intake's HTTP endpoints as exchanges: {@code POST <http_broadcast_path>} and the REST API,
 * answered the same way whether the request arrived on a listener of this verticle or on the
 * gateway's main port (over {@code cable.broadcast.http} / {@code cable.broadcast.api}).
 */
final class HttpEndpoints {

  private final BroadcastOptions options;
  private final PublicationIntake intake;
  private final RestApi api;
  private final PusherApi pusher;
  private final AllowedOrigins origins;
  private final BodyPolicy broadcastPolicy;
  private final BodyPolicy publishPolicy;
  private final BodyPolicy pusherPolicy;

  /** {@code intake}, {@code api} and {@code pusher} are null when that endpoint is off. */
  HttpEndpoints(BroadcastOptions options, PublicationIntake intake, RestApi api, PusherApi pusher) {
    this.options = options;
    this.intake = intake;
    this.api = api;
    this.pusher = pusher;
    this.origins = new AllowedOrigins(options.allowedOrigins());
    this.broadcastPolicy = BodyPolicy.publish(new PublishCheck(options.key()), options.limits());
    this.publishPolicy = BodyPolicy.publish(new PublishCheck(options.apiSecret()), options.limits());
    // The Pusher API signs its requests in the query: no bearer key before the body.
    this.pusherPolicy = BodyPolicy.publish(new PublishCheck(""), options.limits());
  }

  /** The bus consumers for requests the gateway forwards from the main port. */
  List<MessageConsumer<HttpExchange>> serveForwarded(Vertx vertx) {
    List<MessageConsumer<HttpExchange>> consumers = new ArrayList<>();
    if (intake != null) {
      consumers.add(HttpExchanges.serve(vertx, Addresses.BROADCAST_HTTP, this::broadcast));
    }
    if (api != null) {
      consumers.add(HttpExchanges.serve(vertx, Addresses.BROADCAST_API, this::api));
    }
    if (pusher != null) {
      consumers.add(HttpExchanges.serve(vertx, Addresses.BROADCAST_PUSHER, this::pusher));
    }
    return consumers;
  }

  /** The broadcast port: the broadcast path, and the REST API when it shares the port. */
  void broadcastListener(HttpServerRequest req) {
    if (options.apiOnBroadcastListener() && api.owns(req.path())) {
      apiListener(req);
    } else if (intake != null && req.path().equals(options.path())) {
      HttpExchanges.local(req, broadcastPolicy, this::broadcast);
    } else {
      req.response().setStatusCode(404).end();
    }
  }

  /** The REST API's own port. */
  void apiListener(HttpServerRequest req) {
    if (!api.owns(req.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    HttpExchanges.local(req, api.isPublish(req.path()) ? publishPolicy : BodyPolicy.none(), this::api);
  }

  /** The Pusher HTTP API's own port ({@code --pusher_api_port}); POST bodies within the limits. */
  void pusherListener(HttpServerRequest req) {
    if (!pusher.owns(req.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    HttpExchanges.local(req, req.method() == io.vertx.core.http.HttpMethod.POST ? pusherPolicy : BodyPolicy.none(),
        this::pusher);
  }

  /** {@code POST <http_broadcast_path>}: CORS when asked, then the intake's status. */
  Future<HttpExchangeReply> broadcast(HttpExchange ex) {
    HttpExchangeReply.Builder reply = HttpExchangeReply.newBuilder();
    if (options.cors()) {
      Cors.headers(HttpExchanges.header(ex, "Origin"), origins).forEach(reply::putHeaders);
      if (ex.getMethod().equals("OPTIONS")) {
        return Future.succeededFuture(reply.setStatus(200).build());
      }
    }
    return intake.handle(ex.getMethod(), HttpExchanges.header(ex, "Authorization"), ex.getBody().toByteArray())
        .map(status -> reply.setStatus(status).build());
  }

  /** The REST API. */
  Future<HttpExchangeReply> api(HttpExchange ex) {
    return api.handle(ex.getMethod(), ex.getPath(), HttpExchanges.header(ex, "Authorization"), ex.getBody().toByteArray())
        .map(res -> res.json() == null ? HttpExchanges.status(res.status()) : HttpExchanges.json(res.status(), res.json()));
  }

  /**
   * The Pusher HTTP API; its errors are text, as Pusher's. CORS headers follow
   * {@code --allowed_origins} (anycable-go copies them into its Pusher settings); OPTIONS is a
   * preflight.
   */
  Future<HttpExchangeReply> pusher(HttpExchange ex) {
    Map<String, String> cors = Cors.headers(HttpExchanges.header(ex, "Origin"), origins);
    if (ex.getMethod().equals("OPTIONS")) {
      return Future.succeededFuture(HttpExchangeReply.newBuilder().setStatus(200).putAllHeaders(cors).build());
    }
    return pusher.handle(ex.getMethod(), ex.getPath(), ex.getQuery(), ex.getBody().toByteArray())
        .map(res -> {
          HttpExchangeReply.Builder reply = HttpExchangeReply.newBuilder().setStatus(res.status()).putAllHeaders(cors);
          if (res.body() != null) {
            reply.putHeaders("Content-Type", res.body().startsWith("{") ? "application/json" : "text/plain")
                .setBody(com.google.protobuf.ByteString.copyFromUtf8(res.body()));
          }
          return reply.build();
        });
  }
}
