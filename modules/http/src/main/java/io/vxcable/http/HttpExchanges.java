package io.vxcable.http;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vxcable.contracts.BusRequests;
import io.vxcable.contracts.bus.HttpExchange;
import io.vxcable.contracts.bus.HttpExchangeReply;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * HTTP requests as bus messages: one shape ({@link HttpExchange} → {@link HttpExchangeReply}) for
 * every endpoint a verticle serves on a port it does not own. The listener reads the request within
 * its {@link BodyPolicy}, the serving verticle answers with a reply, the listener writes it:
 * {@link #forward} on the listener's side, {@link #serve} on the serving side, and {@link #local}
 * when the serving verticle owns the listener itself.
 */
public final class HttpExchanges {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  private HttpExchanges() {}

  /**
   * The request as an exchange, its body read per {@code policy}. A request refused by the policy
   * (422, 401, 413, 503) is answered here and the future fails. Call from the request handler.
   */
  public static Future<HttpExchange> read(HttpServerRequest req, BodyPolicy policy) {
    if (!policy.readsBody() || req.method() == HttpMethod.OPTIONS) {
      // A preflight carries no body to read: the endpoint answers it (CORS) or refuses it.
      return Future.succeededFuture(exchange(req, Buffer.buffer()));
    }
    int refused = policy.check().status(req.method().name(), req.getHeader("Authorization"));
    if (refused != 0) {
      BoundedBody.reject(req, refused);
      return Future.failedFuture(new BoundedBody.Refused(refused, "refused before the body"));
    }
    return BoundedBody.read(req, policy.maxBytes())
        .onFailure(err -> BoundedBody.reject(req, BoundedBody.statusOf(err)))
        .map(body -> exchange(req, body));
  }

  /** Writes a reply as the response. */
  public static void respond(HttpServerRequest req, HttpExchangeReply reply) {
    HttpServerResponse res = req.response().setStatusCode(reply.getStatus());
    reply.getHeadersMap().forEach(res::putHeader);
    if (reply.getBody().isEmpty()) {
      res.end();
    } else {
      res.end(Buffer.buffer(reply.getBody().toByteArray()));
    }
  }

  /**
   * The listener's side: reads the request per {@code policy}, sends it to {@code address} and
   * writes the answer; 404 when nothing serves the address, 503 when it does not answer in 10 s.
   */
  public static void forward(Vertx vertx, HttpServerRequest req, String address, BodyPolicy policy) {
    read(req, policy).onSuccess(exchange -> BusRequests.<HttpExchangeReply>localFirst(vertx.eventBus(), address, exchange, TIMEOUT)
        .onSuccess(reply -> respond(req, reply.body()))
        .onFailure(err -> {
          boolean missing = err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
          req.response().setStatusCode(missing ? 404 : 503).end();
        }));
  }

  /** The serving side when it owns the listener: the same handler as over the bus. */
  public static void local(HttpServerRequest req, BodyPolicy policy, Function<HttpExchange, Future<HttpExchangeReply>> handler) {
    read(req, policy).onSuccess(exchange -> handler.apply(exchange).onComplete(ar -> {
      if (ar.succeeded()) {
        respond(req, ar.result());
      } else {
        req.response().setStatusCode(500).end();
      }
    }));
  }

  /** Serves an address with a handler (the serving verticle's consumer). */
  public static io.vertx.core.eventbus.MessageConsumer<HttpExchange> serve(Vertx vertx, String address,
      Function<HttpExchange, Future<HttpExchangeReply>> handler) {
    return vertx.eventBus().<HttpExchange>consumer(address, m -> handler.apply(m.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(ar.result());
      } else {
        m.reply(HttpExchangeReply.newBuilder().setStatus(500).build());
      }
    }));
  }

  /** A reply with a status and no body. */
  public static HttpExchangeReply status(int status) {
    return HttpExchangeReply.newBuilder().setStatus(status).build();
  }

  /** A reply with a JSON body. */
  public static HttpExchangeReply json(int status, String json) {
    return HttpExchangeReply.newBuilder().setStatus(status).putHeaders("Content-Type", "application/json")
        .setBody(ByteString.copyFromUtf8(json)).build();
  }

  /** A header of an exchange (any case); null when absent. */
  public static String header(HttpExchange exchange, String name) {
    return exchange.getHeadersMap().get(name.toLowerCase(Locale.ROOT));
  }

  private static HttpExchange exchange(HttpServerRequest req, Buffer body) {
    HttpExchange.Builder b = HttpExchange.newBuilder().setMethod(req.method().name()).setPath(req.path())
        .setQuery(req.query() == null ? "" : req.query()).setBody(ByteString.copyFrom(body.getBytes()));
    for (Map.Entry<String, String> h : req.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      String previous = b.getHeadersMap().get(name);
      b.putHeaders(name, previous == null ? h.getValue() : previous + ", " + h.getValue());
    }
    return b.build();
  }
}
