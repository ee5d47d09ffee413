package io.vxcable.observability;

import io.vxcable.observability.MicrometerMetrics.Kind;
import io.vxcable.observability.MicrometerMetrics.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * anycable-go's StatsD lines: counters as increments ({@code |c}) of the interval's delta, gauges
 * ({@code |g}) as current values, each name prefixed ({@code anycable_go.} by default), tags in one
 * of three formats: datadog {@code name:1|c|#k:v,k2:v2}, influxdb {@code name,k=v,k2=v2:1|c},
 * graphite {@code name;k=v;k2=v2:1|c}. Lines are packed into datagrams of at most
 * {@code --statsd_max_packet_size} bytes.
 */
final class StatsdFormat {

  private final String prefix;
  private final String format;
  private final Map<String, String> tags;

  StatsdFormat(String prefix, String format, Map<String, String> tags) {
    this.prefix = prefix;
    this.format = format;
    this.tags = new TreeMap<>(tags);
  }

  /** One line per metric: counters as the delta since {@code previous} (absent = 0). */
  List<String> lines(Map<String, Sample> now, Map<String, Sample> previous) {
    List<String> out = new ArrayList<>(now.size());
    now.forEach((name, sample) -> {
      boolean counter = sample.kind() == Kind.COUNTER;
      long value = counter ? sample.value() - valueOf(previous.get(name)) : sample.value();
      out.add(line(name, value, counter ? "c" : "g"));
    });
    return out;
  }

  private static long valueOf(Sample s) {
    return s == null ? 0 : s.value();
  }

  String line(String name, long value, String type) {
    StringBuilder sb = new StringBuilder(prefix).append(name);
    if (tags.isEmpty()) {
      return sb.append(':').append(value).append('|').append(type).toString();
    }
    switch (format) {
      case "influxdb" -> {
        tags.forEach((k, v) -> sb.append(',').append(k).append('=').append(v));
        sb.append(':').append(value).append('|').append(type);
      }
      case "graphite" -> {
        tags.forEach((k, v) -> sb.append(';').append(k).append('=').append(v));
        sb.append(':').append(value).append('|').append(type);
      }
      default -> {
        sb.append(':').append(value).append('|').append(type).append("|#");
        String sep = "";
        for (Map.Entry<String, String> t : tags.entrySet()) {
          sb.append(sep).append(t.getKey()).append(':').append(t.getValue());
          sep = ",";
        }
      }
    }
    return sb.toString();
  }

  /** Lines joined by newlines into payloads of at most {@code maxSize} bytes (a longer line goes alone). */
  static List<byte[]> packets(List<String> lines, int maxSize) {
    List<byte[]> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      int needed = current.length() == 0 ? line.length() : current.length() + 1 + line.length();
      if (current.length() > 0 && needed > maxSize) {
        out.add(current.toString().getBytes(StandardCharsets.UTF_8));
        current.setLength(0);
      }
      if (current.length() > 0) {
        current.append('\n');
      }
      current.append(line);
    }
    if (current.length() > 0) {
      out.add(current.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }
}
