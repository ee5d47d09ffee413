package io.vxcable.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Launcher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vxcable.http.Fatal;

/**
 * {@code scripts/vertx}: Vert.x's {@code vertx run <verticle> -conf <json> [-cluster] [-instances N]}
 * with the short verticle names of {@link Verticles}, and a non-zero exit (15) when the deployment
 * fails so a supervisor can see it.
 */
public final class VertxLauncher extends Launcher {

  static {
    JvmDefaults.apply();
    Logging.install();
  }

  public static void main(String[] args) {
    String[] rewritten = args.clone();
    if (rewritten.length > 1 && "run".equals(rewritten[0])) {
      rewritten[1] = Verticles.className(rewritten[1]);
    }
    new VertxLauncher().dispatch(rewritten);
  }

  /**
   * With {@code -cluster}, Hazelcast is configured by {@link ClusterConfig}: the cluster XML, then
   * {@code ANYCABLE_CLUSTER_NAME}, {@code _MEMBERS}, {@code _PORT} and {@code _HOST} when set.
   */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    return super.createVertxBuilder(options).withClusterManager(ClusterConfig.fromEnv(System.getenv()).clusterManager());
  }

  /** An OutOfMemoryError anywhere halts the process (see {@link Fatal}). */
  @Override
  public void afterStartingVertx(Vertx vertx) {
    Fatal.watch(vertx);
  }

  @Override
  public void handleDeployFailed(Vertx vertx, String mainVerticle, DeploymentOptions options, Throwable cause) {
    System.err.println("Error: could not deploy " + mainVerticle + ": " + cause.getMessage());
    vertx.close().onComplete(ar -> System.exit(15));
  }
}
