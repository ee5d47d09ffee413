package io.vxcable.observability;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vxcable.config.Settings;

/**
 * Keeps the process's metrics in the Vert.x instance's local map, so every verticle of the process
 * reports into one table whatever deployed it ({@code scripts/anycable}, {@code vertx run}, a
 * test), and starts their exporters once, stopped when the Vert.x instance closes.
 */
final class MetricsHolder {

  private static final String MAP = "vxcable.metrics";
  private static final String KEY = "metrics";

  private MetricsHolder() {}

  static Metrics get(Vertx vertx) {
    MicrometerMetrics m = map(vertx).get(KEY);
    return m == null ? Metrics.NOOP : m;
  }

  static synchronized Metrics getOrCreate(Vertx vertx, Settings settings) {
    MicrometerMetrics m = map(vertx).get(KEY);
    if (m != null) {
      return m;
    }
    MicrometerMetrics created = VertxMetrics.create(settings);
    if (created == null) {
      return Metrics.NOOP;
    }
    install(vertx, created);
    return created;
  }

  /** Makes {@code metrics} the process's and starts their exporters (the launcher, before deploying). */
  static synchronized void install(Vertx vertx, MicrometerMetrics metrics) {
    if (map(vertx).get(KEY) != null) {
      return;
    }
    Exporters exporters = Exporters.start(metrics);
    map(vertx).put(KEY, metrics);
    if (vertx instanceof VertxInternal internal) {
      internal.addCloseHook(exporters);
    }
  }

  private static LocalMap<String, MicrometerMetrics> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
