package io.vxcable.observability;

import io.vxcable.observability.MicrometerMetrics.Kind;
import io.vxcable.observability.MicrometerMetrics.Sample;
import java.util.List;
import java.util.Map;

/**
 * anycable-go's {@code --metrics_log} line: alphabetically sorted {@code name=value} pairs,
 * counters as the delta since the previous line, gauges as their current value, optionally only
 * the names of {@code --metrics_log_filter}.
 */
final class MetricsLog {

  private MetricsLog() {}

  static String line(Map<String, Sample> now, Map<String, Sample> previous, List<String> filter) {
    StringBuilder sb = new StringBuilder();
    now.forEach((name, sample) -> {
      if (!filter.isEmpty() && !filter.contains(name)) {
        return;
      }
      long value = sample.value();
      if (sample.kind() == Kind.COUNTER) {
        Sample before = previous.get(name);
        value -= before == null ? 0 : before.value();
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(name).append('=').append(value);
    });
    return sb.toString();
  }
}
