package io.vxcable.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  long now = 1_000_000;
  final CircuitBreaker breaker = new CircuitBreaker(() -> now);

  void calls(int n, boolean fail) {
    for (int i = 0; i < n; i++) {
      assertThat(breaker.allow()).isTrue();
      breaker.record(fail);
    }
  }

  @Test
  void itOpensAfterTenCallsWithEightyPercentTransportFailures() {
    calls(2, false);
    calls(7, true);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    calls(1, true);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.allow()).isFalse();
  }

  @Test
  void applicationAnswersNeverOpenIt() {
    calls(50, false);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void failuresSpreadOverSeveralWindowsDoNotOpenIt() {
    calls(9, true);
    now += CircuitBreaker.WINDOW_MS;
    calls(9, true);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void afterFiveSecondsTrialCallsCloseItAgain() {
    calls(10, true);
    now += CircuitBreaker.OPEN_MS - 1;
    assertThat(breaker.allow()).isFalse();
    now += 1;
    calls(CircuitBreaker.HALF_OPEN_CALLS, false);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.allow()).isTrue();
  }

  @Test
  void aFailedTrialOpensItForAnotherPeriod() {
    calls(10, true);
    now += CircuitBreaker.OPEN_MS;
    calls(1, true);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.allow()).isFalse();
  }

  @Test
  void halfOpenLetsOnlyAFewTrialsThrough() {
    calls(10, true);
    now += CircuitBreaker.OPEN_MS;
    for (int i = 0; i < CircuitBreaker.HALF_OPEN_CALLS; i++) {
      assertThat(breaker.allow()).isTrue();
    }
    assertThat(breaker.allow()).isFalse();
  }
}
