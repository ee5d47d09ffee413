package io.vxcable.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The route table of one listener: path patterns (exact, {@code {param}}, trailing {@code *}, as
 * {@code --path} takes them) with the methods they accept, first match wins. A path that matches
 * no route is 404, a route that does not take the method answers 405. The gateway's main port is
 * one table (WebSocket paths, health, forwarded broadcasts and API, mounted translators).
 */
public final class Routes implements Handler<HttpServerRequest> {

  private record Route(PathPattern path, Set<HttpMethod> methods, Handler<HttpServerRequest> handler) {}

  private final List<Route> routes = new ArrayList<>();

  /** A route for every method (the handler checks them itself). */
  public Routes add(String pattern, Handler<HttpServerRequest> handler) {
    return add(pattern, Set.of(), handler);
  }

  /** A route for the given methods; an empty set takes every method. */
  public Routes add(String pattern, Set<HttpMethod> methods, Handler<HttpServerRequest> handler) {
    routes.add(new Route(PathPattern.of(pattern), Set.copyOf(methods), handler));
    return this;
  }

  /** A route for a path and everything under it ({@code /api} and {@code /api/...}). */
  public Routes addTree(String prefix, Handler<HttpServerRequest> handler) {
    String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    add(base.isEmpty() ? "/" : base, handler);
    return add(base + "/*", handler);
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    for (Route r : routes) {
      if (r.path().matches(path)) {
        if (!r.methods().isEmpty() && !r.methods().contains(req.method())) {
          req.response().setStatusCode(405).end();
        } else {
          r.handler().handle(req);
        }
        return;
      }
    }
    req.response().setStatusCode(404).end("404 page not found\n");
  }
}
