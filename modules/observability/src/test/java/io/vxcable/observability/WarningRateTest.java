package io.vxcable.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarningRateTest {

  long now = 1_000_000;

  @Test
  void theFirstGoesOutThenOneLinePerIntervalWithTheCount() {
    WarningRate rate = new WarningRate(() -> now);
    assertThat(rate.occurred()).isEqualTo(1);
    now += 1000;
    assertThat(rate.occurred()).isZero();
    assertThat(rate.occurred()).isZero();
    now += WarningRate.EVERY_MS;
    assertThat(rate.occurred()).isEqualTo(3);
    now += WarningRate.EVERY_MS - 1;
    assertThat(rate.occurred()).isZero();
    assertThat(WarningRate.count(1, "request")).isEqualTo("1 request");
    assertThat(WarningRate.count(4, "request")).isEqualTo("4 requests");
  }

  @Test
  void warnLogsOnlyTheLinesThatAreDue() {
    WarningRate rate = new WarningRate(() -> now);
    java.util.List<String> lines = new java.util.ArrayList<>();
    java.util.logging.Logger log = java.util.logging.Logger.getAnonymousLogger();
    log.setUseParentHandlers(false);
    log.addHandler(new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        lines.add(r.getLevel() + " " + r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    rate.warn(log, n -> "failed " + n);
    rate.warn(log, n -> "failed " + n);
    now += WarningRate.EVERY_MS;
    rate.warn(log, n -> "failed " + n);
    assertThat(lines).containsExactly("WARNING failed 1", "WARNING failed 2");
  }
}
