package io.vxcable.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * Deploys several verticles in one process, all with the same resolved settings: the default
 * one-process server. Config keys besides the options: {@code verticles} (names, in deployment
 * order; default broadcast, gateway) and {@code instances} (an object of name to count).
 */
public final class BundleVerticle extends VerticleBase {

  private final List<String> deployed = new ArrayList<>();

  @Override
  public Future<?> start() {
    JsonObject settings = Settings.fromVerticleConfig(config()).toJson();
    JsonArray names = config().getJsonArray("verticles", new JsonArray(Verticles.BUNDLE_DEFAULT));
    JsonObject instances = config().getJsonObject("instances", new JsonObject());
    Future<Void> chain = Future.succeededFuture();
    for (Object n : names) {
      String name = n.toString();
      int count = instances.getInteger(name, 1);
      chain = chain.compose(v -> vertx.deployVerticle(Verticles.className(name),
              new DeploymentOptions().setConfig(settings).setInstances(Math.max(1, count)))
          .map(id -> {
            deployed.add(id);
            return null;
          }));
    }
    return chain;
  }

  @Override
  public Future<?> stop() {
    // Undeploy in reverse order: gateways tell their clients first, intakes go last.
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployed.size() - 1; i >= 0; i--) {
      String id = deployed.get(i);
      chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    return chain;
  }
}
