package io.vxcable.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Launcher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.http.Fatal;
import io.vxcable.observability.MicrometerMetrics;
import io.vxcable.observability.VertxMetrics;

/**
 * {@code scripts/vertx}: Vert.x's {@code vertx run <verticle> -conf <json> [-cluster] [-instances N]}
 * with the short verticle names of {@link Verticles}, and a non-zero exit (15) when the deployment
 * fails so a supervisor can see it.
 */
public final class VertxLauncher extends Launcher {

  private MicrometerMetrics metrics;

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
    VertxBuilder builder = super.createVertxBuilder(VertxMetrics.options(options, metrics));
    return VertxMetrics.bind(builder, metrics).withClusterManager(ClusterConfig.fromEnv(System.getenv()).clusterManager());
  }

  /**
   * The metrics the {@code -conf} settings ask for, made before Vert.x so its own metrics
   * ({@code vertx_*}) join them; a config that does not resolve is left to the verticle to report.
   */
  @Override
  public void afterConfigParsed(JsonObject config) {
    try {
      metrics = VertxMetrics.create(Settings.fromVerticleConfig(config));
    } catch (ConfigException e) {
      metrics = null;
    }
  }

  /** An OutOfMemoryError anywhere halts the process (see {@link Fatal}); the metrics start. */
  @Override
  public void afterStartingVertx(Vertx vertx) {
    Fatal.watch(vertx);
    VertxMetrics.install(vertx, metrics);
  }

  @Override
  public void handleDeployFailed(Vertx vertx, String mainVerticle, DeploymentOptions options, Throwable cause) {
    System.err.println("Error: could not deploy " + mainVerticle + ": " + cause.getMessage());
    vertx.close().onComplete(ar -> System.exit(15));
  }
}
