package io.vxcable.launcher;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vxcable.config.Settings;

/**
 * Deploys several verticles in one process, all with the same resolved settings: the one-process
 * server of {@code scripts/vertx run bundle}. Config keys besides the options: {@code verticles}
 * (names, in deployment order; default rpc, broadcast, gateway) and {@code instances} (an object of
 * name to count). Vert.x stops a deployment's children together before its parent, so an ordered
 * graceful stop (pending Disconnect calls flushed) is what {@code scripts/anycable} does instead.
 */
public final class BundleVerticle extends VerticleBase {

  private final Deployments deployments = new Deployments();

  @Override
  public Future<?> start() {
    return deployments.deploy(vertx, Settings.fromVerticleConfig(config()).toJson(), config());
  }
}
