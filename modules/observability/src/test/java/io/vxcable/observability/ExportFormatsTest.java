package io.vxcable.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.observability.MicrometerMetrics.Kind;
import io.vxcable.observability.MicrometerMetrics.Sample;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ExportFormatsTest {

  private static Map<String, Sample> samples(Object... kv) {
    Map<String, Sample> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 3) {
      m.put((String) kv[i], new Sample((Kind) kv[i + 1], ((Number) kv[i + 2]).longValue()));
    }
    return m;
  }

  @Test
  void statsdLinesInEachTagFormat() {
    Map<String, String> tags = Map.of("env", "prod", "az", "b");
    assertThat(new StatsdFormat("anycable_go.", "datadog", tags).line("clients_num", 3, "g"))
        .isEqualTo("anycable_go.clients_num:3|g|#az:b,env:prod");
    assertThat(new StatsdFormat("anycable_go.", "influxdb", tags).line("rpc_call_total", 2, "c"))
        .isEqualTo("anycable_go.rpc_call_total,az=b,env=prod:2|c");
    assertThat(new StatsdFormat("x.", "graphite", tags).line("rpc_call_total", 2, "c"))
        .isEqualTo("x.rpc_call_total;az=b;env=prod:2|c");
    assertThat(new StatsdFormat("anycable_go.", "datadog", Map.of()).line("clients_num", 0, "g"))
        .isEqualTo("anycable_go.clients_num:0|g");
  }

  @Test
  void statsdSendsCounterDeltasAndGaugeValues() {
    StatsdFormat f = new StatsdFormat("p.", "datadog", Map.of());
    Map<String, Sample> before = samples("client_msg_total", Kind.COUNTER, 10, "clients_num", Kind.INTERVAL_GAUGE, 4);
    Map<String, Sample> now = samples("client_msg_total", Kind.COUNTER, 17, "clients_num", Kind.INTERVAL_GAUGE, 2);
    assertThat(f.lines(now, before)).containsExactly("p.client_msg_total:7|c", "p.clients_num:2|g");
    assertThat(f.lines(now, Map.of())).containsExactly("p.client_msg_total:17|c", "p.clients_num:2|g");
  }

  @Test
  void statsdPacketsStayUnderTheLimit() {
    List<String> lines = List.of("a".repeat(30), "b".repeat(30), "c".repeat(30), "d".repeat(100));
    List<byte[]> packets = StatsdFormat.packets(lines, 64);
    assertThat(packets).hasSize(3);
    assertThat(new String(packets.get(0), StandardCharsets.UTF_8)).isEqualTo("a".repeat(30) + "\n" + "b".repeat(30));
    assertThat(packets.get(1)).hasSize(30);
    // A line longer than the limit still goes, alone.
    assertThat(packets.get(2)).hasSize(100);
  }

  @Test
  void logLineIsSortedWithDeltasAndFilter() {
    Map<String, Sample> before = samples("rpc_call_total", Kind.COUNTER, 5);
    Map<String, Sample> now = samples("rpc_call_total", Kind.COUNTER, 7, "clients_num", Kind.INTERVAL_GAUGE, 2,
        "failed_auths_total", Kind.COUNTER, 0);
    assertThat(MetricsLog.line(now, before, List.of()))
        .isEqualTo("clients_num=2 failed_auths_total=0 rpc_call_total=2");
    assertThat(MetricsLog.line(now, before, List.of("rpc_call_total", "failed_auths_total")))
        .isEqualTo("failed_auths_total=0 rpc_call_total=2");
  }
}
