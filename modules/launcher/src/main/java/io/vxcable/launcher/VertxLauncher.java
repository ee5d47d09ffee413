package io.vxcable.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Launcher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.transport.Transport;
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
    String conf = ConfArgument.problem(args);
    if (conf != null) {
      System.err.println("Error: " + conf);
      System.exit(1);
    }
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
    VertxBuilder builder = super.createVertxBuilder(VertxMetrics.options(NativeTransport.prefer(options), metrics));
    builder = VertxMetrics.bind(builder, metrics).withClusterManager(ClusterConfig.fromEnv(System.getenv()).clusterManager());
    return metrics == null ? builder : new KeepingMetrics(builder);
  }

  /**
   * The launcher binds the metrics factory it finds on the class path after this hook, which would
   * send Vert.x's meters to a registry of its own: ours, bound above, stays.
   */
  private static final class KeepingMetrics implements VertxBuilder {
    private final VertxBuilder delegate;

    KeepingMetrics(VertxBuilder delegate) {
      this.delegate = delegate;
    }

    @Override
    public VertxBuilder with(VertxOptions options) {
      delegate.with(options);
      return this;
    }

    @Override
    public VertxBuilder withMetrics(VertxMetricsFactory factory) {
      return this;
    }

    @Override
    public VertxBuilder withTracer(VertxTracerFactory factory) {
      delegate.withTracer(factory);
      return this;
    }

    @Override
    public VertxBuilder withTransport(Transport transport) {
      delegate.withTransport(transport);
      return this;
    }

    @Override
    public VertxBuilder withClusterManager(ClusterManager clusterManager) {
      delegate.withClusterManager(clusterManager);
      return this;
    }

    @Override
    public Vertx build() {
      return delegate.build();
    }

    @Override
    public Future<Vertx> buildClustered() {
      return delegate.buildClustered();
    }
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
    NativeTransport.report(vertx);
    VertxMetrics.install(vertx, metrics);
  }

  @Override
  public void handleDeployFailed(Vertx vertx, String mainVerticle, DeploymentOptions options, Throwable cause) {
    System.err.println("Error: could not deploy " + mainVerticle + ": " + cause.getMessage());
    vertx.close().onComplete(ar -> System.exit(15));
  }
}
