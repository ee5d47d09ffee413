package io.vxcable.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Deploys verticles in order with one resolved configuration, and undeploys them in reverse order,
 * each waiting for the previous: gateways stop first (their sessions' Disconnect calls still find
 * the rpc verticle), the rpc verticle last (it flushes them).
 */
final class Deployments {

  private final List<String> ids = new ArrayList<>();

  /** {@code config} may name {@code verticles} (in order) and {@code instances} (name to count). */
  Future<Void> deploy(Vertx vertx, JsonObject settings, JsonObject config) {
    JsonArray names = config.getJsonArray("verticles", new JsonArray(Verticles.BUNDLE_DEFAULT));
    JsonObject instances = config.getJsonObject("instances", new JsonObject());
    Future<Void> chain = Future.succeededFuture();
    for (Object n : names) {
      String name = n.toString();
      int count = Math.max(1, instances.getInteger(name, 1));
      chain = chain.compose(v -> vertx.deployVerticle(Verticles.className(name),
              new DeploymentOptions().setConfig(settings).setInstances(count))
          .map(id -> {
            ids.add(id);
            return null;
          }));
    }
    return chain;
  }

  Future<Void> undeployInReverse(Vertx vertx) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    return chain.onComplete(ar -> ids.clear());
  }
}
