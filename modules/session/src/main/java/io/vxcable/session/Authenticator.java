package io.vxcable.session;

import io.vertx.core.Future;
import io.vxcable.observability.Trace;
import io.vxcable.protocol.DisconnectReason;
import io.vxcable.protocol.JsonText;
import io.vxcable.protocol.Jwt;
import io.vxcable.protocol.JwtResult;
import io.vxcable.session.spi.Reply;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides who a new session is, in anycable-go's order: a resumed session (extended protocol, with
 * a broker), a JWT, {@code --noauth}, then the controller (the application over RPC, or
 * {@code --norpc}'s refusal). Applies the outcome: a welcome and the hub, or a refusal and a close.
 */
final class Authenticator {

  private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());

  private final SessionOptions options;
  private final Controller controller;
  private final Resumption resumption;
  private final SessionRegistry registry;
  private final EngineStats stats;

  Authenticator(SessionOptions options, Controller controller, Resumption resumption, SessionRegistry registry,
      EngineStats stats) {
    this.options = options;
    this.controller = controller;
    this.resumption = resumption;
    this.registry = registry;
    this.stats = stats;
  }

  /** Authenticates and applies the outcome; completes when the session may read commands. */
  Future<Void> authenticate(Session s) {
    return decide(s).transform(ar -> {
      if (ar.failed()) {
        Trace.log(LOG, Level.FINE, s.sid(), () -> "authentication error", ar.cause());
      }
      apply(s, ar.succeeded() ? ar.result() : null);
      return Future.succeededFuture();
    });
  }

  private Future<ConnectResult> decide(Session s) {
    if (options.resumable() && s.extended() && s.request().restoreSid() != null) {
      return resumption.restore(s).compose(result -> {
        if (result == null) {
          stats.restoreMissed++;
          return identify(s);
        }
        stats.restored++;
        return Future.succeededFuture(result);
      });
    }
    return identify(s);
  }

  private Future<ConnectResult> identify(Session s) {
    if (s.protocol().anonymous()) {
      return Future.succeededFuture(anonymous(s));
    }
    if (!options.jwtSecret().isEmpty()) {
      String token = s.request().jwtToken();
      if (token != null && !token.isEmpty()) {
        JwtResult r = Jwt.verify(token, options.jwtSecret(), System.currentTimeMillis() / 1000);
        switch (r.status()) {
          case EXPIRED:
            return Future.succeededFuture(ConnectResult.failure(new Reply.Disconnect(DisconnectReason.TOKEN_EXPIRED, false)));
          case INVALID:
            return Future.succeededFuture(ConnectResult.failure(new Reply.Disconnect(DisconnectReason.UNAUTHORIZED, false)));
          default:
            if (r.ext() == null) {
              return Future.failedFuture("JWT has no string ext claim");
            }
            return Future.succeededFuture(ConnectResult.success(r.ext(), Reply.Welcome.of(s.sid())));
        }
      }
      if (options.enforceJwt()) {
        return Future.succeededFuture(ConnectResult.failure(new Reply.Disconnect(DisconnectReason.UNAUTHORIZED, false)));
      }
    }
    if (options.noauth()) {
      return Future.succeededFuture(anonymous(s));
    }
    return controller.connect(s);
  }

  /** Accepted with identifiers {@code {"sid":"<sid>"}} ({@code --noauth}, or an anonymous protocol). */
  private static ConnectResult anonymous(Session s) {
    String ids = "{\"sid\":" + JsonText.quote(s.sid()) + "}";
    return ConnectResult.success(ids, Reply.Welcome.of(s.sid()));
  }

  private void apply(Session s, ConnectResult r) {
    if (s.closed()) {
      return;
    }
    if (r == null || r.status() == Status.ERROR) {
      s.close(1011, "Auth Error");
      return;
    }
    if (r.status() == Status.FAILURE) {
      stats.failedAuths++;
      Trace.log(LOG, Level.FINE, s.sid(), () -> "authentication failed");
      r.transmissions().forEach(s::send);
      s.close(1000, "Auth Failed");
      return;
    }
    Trace.log(LOG, Level.FINE, s.sid(), () -> "authenticated as " + r.identifiers());
    s.authenticated(r.identifiers(), r.cstate(), r.disconnectInterest());
    registry.identified(s);
    r.transmissions().forEach(s::send);
    resumption.commit(s);
  }
}
