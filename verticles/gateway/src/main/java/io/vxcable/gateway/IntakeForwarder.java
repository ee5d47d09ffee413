package io.vxcable.gateway;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerRequest;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.ApiReply;
import io.vxcable.contracts.bus.ApiRequest;
import io.vxcable.contracts.bus.HttpIntakeReply;
import io.vxcable.contracts.bus.HttpIntakeRequest;
import io.vxcable.http.BoundedBody;
import io.vxcable.http.PublishCheck;

/**
 * HTTP broadcasts and REST API calls that arrive on the main port, forwarded over the bus to the
 * broadcast verticle ({@code cable.broadcast.http}, {@code cable.broadcast.api}). The key and the
 * method of a publishing request are checked here first and its body is read within
 * {@code --http_max_body_size}, so nothing unauthenticated is ever buffered; the broadcast verticle
 * decides the rest. 404 when no broadcast verticle listens, 503 when it does not answer.
 */
final class IntakeForwarder {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;
  private final GatewayOptions options;
  private final PublishCheck broadcastCheck;
  private final PublishCheck apiCheck;
  private final String apiPublishPath;

  IntakeForwarder(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.broadcastCheck = new PublishCheck(options.broadcastKey());
    this.apiCheck = new PublishCheck(options.apiSecret());
    String api = options.apiPath().endsWith("/") ? options.apiPath().substring(0, options.apiPath().length() - 1) : options.apiPath();
    this.apiPublishPath = api + "/publish";
  }

  /** {@code POST <http_broadcast_path>}. */
  void broadcast(HttpServerRequest req) {
    String method = req.method().name();
    String auth = req.getHeader("Authorization");
    int refused = broadcastCheck.status(method, auth);
    if (refused != 0) {
      BoundedBody.reject(req, refused);
      return;
    }
    body(req).onSuccess(body -> {
      HttpIntakeRequest msg = HttpIntakeRequest.newBuilder().setMethod(method).setAuthorization(auth == null ? "" : auth)
          .setBody(ByteString.copyFrom(body.getBytes())).build();
      vertx.eventBus().<HttpIntakeReply>request(Addresses.BROADCAST_HTTP, msg, TIMEOUT)
          .onSuccess(reply -> req.response().setStatusCode(reply.body().getStatus()).end())
          .onFailure(err -> req.response().setStatusCode(unavailable(err)).end());
    });
  }

  /** Anything under {@code <api_path>}: publishing requests are checked and bounded, reads carry no body. */
  void api(HttpServerRequest req) {
    String method = req.method().name();
    String auth = req.getHeader("Authorization");
    String path = req.path();
    Future<Buffer> body;
    if (path.equals(apiPublishPath)) {
      int refused = apiCheck.status(method, auth);
      if (refused != 0) {
        BoundedBody.reject(req, refused);
        return;
      }
      body = body(req);
    } else {
      // No other endpoint takes a body: whatever comes is not buffered.
      body = Future.succeededFuture(Buffer.buffer());
    }
    body.onSuccess(b -> {
      ApiRequest msg = ApiRequest.newBuilder().setMethod(method).setPath(path).setAuthorization(auth == null ? "" : auth)
          .setBody(ByteString.copyFrom(b.getBytes())).build();
      vertx.eventBus().<ApiReply>request(Addresses.BROADCAST_API, msg, TIMEOUT)
          .onSuccess(reply -> {
            req.response().setStatusCode(reply.body().getStatus());
            if (reply.body().getBody().isEmpty()) {
              req.response().end();
            } else {
              req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(reply.body().getBody().toByteArray()));
            }
          })
          .onFailure(err -> req.response().setStatusCode(unavailable(err)).end());
    });
  }

  /** The body within the limit; a refused or broken read is answered here (413, 503 or 422) and fails. */
  private Future<Buffer> body(HttpServerRequest req) {
    return BoundedBody.read(req, options.limits().bodyBound())
        .onFailure(err -> BoundedBody.reject(req, BoundedBody.statusOf(err)));
  }

  private static int unavailable(Throwable err) {
    return err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS ? 404 : 503;
  }
}
