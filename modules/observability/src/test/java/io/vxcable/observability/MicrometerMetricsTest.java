package io.vxcable.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {

  static Settings settings(String... args) {
    return ConfigResolver.fromCommandLine(List.of(args), Map.of(), Path.of("/nonexistent")).settings();
  }

  @Test
  void prometheusTextHasAnycableNamesAndTypes() {
    MicrometerMetrics m = VertxMetrics.create(settings("--metrics_http=/metrics", "--metrics_tags=env:test,region:eu"));
    AtomicLong engineA = new AtomicLong(3);
    AtomicLong engineB = new AtomicLong(4);
    m.counter("client_msg_total", "The total number of received messages from clients", engineA::get);
    m.counter("client_msg_total", "The total number of received messages from clients", engineB::get);
    m.gauge("rpc_pending_num", "The number of pending RPC calls", () -> 2);
    m.intervalGauge("clients_num", "The number of active clients", () -> 5);
    m.latency("broadcast_delivery_seconds", "Delivery").recordNanos(3_000_000);
    String text = m.scrape();
    assertThat(text).contains("# TYPE anycable_go_client_msg_total counter")
        .contains("anycable_go_client_msg_total{env=\"test\",region=\"eu\"} 7.0")
        .contains("# TYPE anycable_go_rpc_pending_num gauge")
        .contains("anycable_go_clients_num{env=\"test\",region=\"eu\"} 5.0")
        .contains("anycable_go_broadcast_delivery_seconds_bucket{env=\"test\",region=\"eu\",le=\"0.005\"} 1")
        .contains("jvm_memory_used_bytes");
    engineA.set(10);
    assertThat(m.value("client_msg_total")).isEqualTo(14);
  }

  @Test
  void intervalGaugesChangeOnlyOnRefresh() {
    MicrometerMetrics m = VertxMetrics.create(settings("--metrics_log"));
    AtomicLong clients = new AtomicLong(1);
    m.intervalGauge("clients_num", "clients", clients::get);
    clients.set(9);
    assertThat(m.value("clients_num")).isEqualTo(1);
    m.refresh();
    assertThat(m.value("clients_num")).isEqualTo(9);
  }

  @Test
  void keyCountCountsDistinctKeysAcrossHolders() {
    MicrometerMetrics m = VertxMetrics.create(settings("--metrics_log"));
    Object engineA = new Object();
    Object engineB = new Object();
    Metrics.KeyCount uniq = m.keyCount("clients_uniq_num", "uniq");
    assertThat(m.keyCount("clients_uniq_num", "uniq")).as("one set per name").isSameAs(uniq);
    uniq.add("user:1", engineA);
    uniq.add("user:1", engineB);
    uniq.add("user:2", engineB);
    m.refresh();
    assertThat(m.value("clients_uniq_num")).isEqualTo(2);
    assertThat(uniq.first("user:1", engineA)).isTrue();
    assertThat(uniq.first("user:1", engineB)).isFalse();
    uniq.remove("user:1", engineA);
    assertThat(uniq.first("user:1", engineB)).as("the next holder speaks for the process").isTrue();
    m.refresh();
    assertThat(m.value("clients_uniq_num")).isEqualTo(2);
    uniq.remove("user:1", engineB);
    uniq.remove("user:3", engineB);
    m.refresh();
    assertThat(m.value("clients_uniq_num")).isEqualTo(1);
  }

  @Test
  void noExporterMeansNoop() {
    assertThat(VertxMetrics.create(settings())).isNull();
  }
}
