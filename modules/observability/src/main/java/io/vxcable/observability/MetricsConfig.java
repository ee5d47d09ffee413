package io.vxcable.observability;

import io.vertx.core.json.JsonObject;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * anycable-go's metrics settings: the Prometheus endpoint ({@code --metrics_http} on the main
 * listener unless {@code --metrics_port} or {@code --metrics_host} name another), StatsD, log
 * lines, default tags and the refresh and rotate intervals. In a cluster every process also tags
 * its metrics with {@code node_id} (unless {@code --metrics_tags} names one).
 */
public record MetricsConfig(
    String httpPath,
    String host,
    int port,
    boolean separateListener,
    boolean log,
    int rotateSeconds,
    List<String> logFilter,
    Map<String, String> tags,
    int refreshSeconds,
    String statsdHost,
    String statsdPrefix,
    int statsdMaxPacketSize,
    String statsdTagsFormat) {

  static final Set<String> TAG_FORMATS = Set.of("datadog", "influxdb", "graphite");

  public static MetricsConfig from(Settings s) {
    String mainHost = s.string("host");
    int mainPort = s.integer("port");
    String host = s.string("metrics_host");
    int port = s.integer("metrics_port") == 0 ? mainPort : s.integer("metrics_port");
    boolean separate = port != mainPort || (!host.isEmpty() && !host.equals(mainHost));
    int rotate = s.integer("metrics_rotate_interval");
    if (rotate == 0 && s.integer("metrics_log_interval") > 0) {
      rotate = s.integer("metrics_log_interval");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    JsonObject given = s.toJson().getJsonObject("metrics_tags", new JsonObject());
    given.forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    boolean clustered = s.bool("cluster") || "hazelcast".equals(s.string("broker"));
    if (clustered && !tags.containsKey("node_id") && !s.string("node_id").isEmpty()) {
      tags.put("node_id", s.string("node_id"));
    }
    String format = s.string("statsd_tags_format");
    if (!s.string("statsd_host").isEmpty() && !TAG_FORMATS.contains(format)) {
      throw new ConfigException("unknown --statsd_tags_format " + format + " (datadog, influxdb or graphite)");
    }
    return new MetricsConfig(s.string("metrics_http"), host.isEmpty() ? mainHost : host, port, separate,
        s.bool("metrics_log"), Math.max(1, rotate), s.list("metrics_log_filter"), Map.copyOf(tags),
        Math.max(1, s.integer("stats_refresh_interval")), s.string("statsd_host"), s.string("statsd_prefix"),
        Math.max(64, s.integer("statsd_max_packet_size")), format);
  }

  /** Whether any exporter is on; without one the process reports through {@link Metrics#NOOP}. */
  public boolean enabled() {
    return prometheus() || log || !statsdHost.isEmpty();
  }

  public boolean prometheus() {
    return !httpPath.isEmpty();
  }

  /** Whether the gateway's main listener serves {@link #httpPath()}. */
  public boolean onMainListener() {
    return prometheus() && !separateListener;
  }
}
