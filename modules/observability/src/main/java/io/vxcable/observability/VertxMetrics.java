package io.vxcable.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vxcable.config.Settings;
import java.util.EnumSet;

/**
 * Builds the process's metrics from the settings and, for a launcher that creates the Vert.x
 * instance, binds Vert.x's own Micrometer metrics (event bus, HTTP server and client, pools,
 * {@code vertx_*}) and the JVM's ({@code jvm_*}, {@code process_*}) into the same Prometheus
 * registry. Event-bus metrics carry the address: the system's addresses are a bounded set (the
 * fixed ones of {@code Addresses} and 32 shards of two kinds; Vert.x leaves reply addresses out),
 * and Vert.x keeps its per-address gauges (handlers, pending) right only with that label. HTTP
 * metrics carry method and code, never the path.
 */
public final class VertxMetrics {

  private static final EnumSet<Label> LABELS =
      EnumSet.of(Label.EB_ADDRESS, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE,
          Label.POOL_NAME);

  private VertxMetrics() {}

  /** The metrics the settings ask for, or null when no exporter is on. */
  public static MicrometerMetrics create(Settings settings) {
    MetricsConfig config = MetricsConfig.from(settings);
    if (!config.enabled()) {
      return null;
    }
    MeterRegistry registry;
    if (config.prometheus()) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      MicrometerMetrics.commonTags(registry, config);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
    } else {
      registry = new SimpleMeterRegistry();
      MicrometerMetrics.commonTags(registry, config);
    }
    return new MicrometerMetrics(registry, config);
  }

  /** Vert.x options with its Micrometer metrics on when {@code metrics} export to Prometheus. */
  public static VertxOptions options(VertxOptions options, MicrometerMetrics metrics) {
    if (metrics != null && metrics.config().prometheus()) {
      options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setLabels(LABELS));
    }
    return options;
  }

  /** The builder reporting Vert.x's metrics into {@code metrics}' registry (after {@link #options}). */
  public static VertxBuilder bind(VertxBuilder builder, MicrometerMetrics metrics) {
    if (metrics != null && metrics.config().prometheus()) {
      return builder.withMetrics(new MicrometerMetricsFactory(metrics.registry()));
    }
    return builder;
  }

  /** Makes {@code metrics} the process's and starts their exporters; nothing when null. */
  public static void install(Vertx vertx, MicrometerMetrics metrics) {
    if (metrics != null) {
      MetricsHolder.install(vertx, metrics);
    }
  }
}
