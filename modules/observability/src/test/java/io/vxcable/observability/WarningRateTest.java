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
}
