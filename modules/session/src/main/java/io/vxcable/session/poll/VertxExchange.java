package io.vxcable.session.poll;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Consumer;

/**
 * A poll request answered through Vert.x: on a connection that cannot be taken over (HTTP/2, or a
 * pipeline without Vert.x's HTTP/1.x handler). The response already carries the CORS headers.
 */
final class VertxExchange extends PollExchange {

  private final HttpServerRequest req;
  private final Context requestContext;

  /**
   * @param requestContext the context the request arrived on (its connection's event loop)
   * @param sessionContext the context of the session the request is for
   */
  VertxExchange(HttpServerRequest req, Context requestContext, Context sessionContext) {
    super(sessionContext);
    this.req = req;
    this.requestContext = requestContext;
  }

  @Override
  void watch(PollSession session) {
    req.response().closeHandler(v -> sessionContext.runOnContext(x -> session.gone(this)));
  }

  @Override
  void write(int status, Buffer body, String pollId, String retryAfter, Consumer<Boolean> written) {
    requestContext.runOnContext(v -> {
      HttpServerResponse res = req.response();
      if (res.ended() || res.closed()) {
        sessionContext.runOnContext(x -> written.accept(false));
        return;
      }
      res.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE);
      if (pollId != null) {
        res.putHeader(LongPollingEndpoint.POLL_ID, pollId);
      }
      if (retryAfter != null) {
        res.putHeader("Retry-After", retryAfter);
      }
      res.end(body).onComplete(ar -> sessionContext.runOnContext(x -> written.accept(ar.succeeded())));
    });
  }

  @Override
  void abort() {
    requestContext.runOnContext(v -> req.connection().close());
  }
}
