package io.vxcable.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The storm shield's decisions, on a manual clock. */
class AdmissionTest {

  static final long SECOND = 1_000_000_000L;

  long now = 5 * SECOND;

  Admission admission(int rate, int burst, int pending) {
    return new Admission(new Admission.Limits(rate, burst, pending), () -> now);
  }

  @Test
  void withoutLimitsEveryConnectionStartsAndNothingIsTracked() {
    Admission a = admission(0, 0, 0);
    for (int i = 0; i < 1000; i++) {
      assertThat(a.admit("10.0.0.1").admitted()).isTrue();
    }
    assertThat(a.tracked()).isZero();
    assertThat(a.pending()).isZero();
  }

  @Test
  void anAddressGetsItsBurstAtOnceThenTheRate() {
    Admission a = admission(2, 4, 0);
    for (int i = 0; i < 4; i++) {
      assertThat(a.admit("10.0.0.1").admitted()).as("burst #%d", i).isTrue();
    }
    Admission.Ticket shed = a.admit("10.0.0.1");
    assertThat(shed.admitted()).isFalse();
    assertThat(shed.refusal()).isEqualTo(Admission.Refusal.RATE_LIMITED);
    assertThat(shed.refusal().reason).isEqualTo("rate_limited");
    assertThat(shed.retryAfterSeconds()).isEqualTo(1);
    assertThat(a.admit("10.0.0.2").admitted()).as("another address has its own allowance").isTrue();

    now += SECOND / 2;
    assertThat(a.admit("10.0.0.1").admitted()).as("one more after 1/rate").isTrue();
    assertThat(a.admit("10.0.0.1").admitted()).isFalse();
    now += 10 * SECOND;
    int started = 0;
    for (int i = 0; i < 10; i++) {
      started += a.admit("10.0.0.1").admitted() ? 1 : 0;
    }
    assertThat(started).as("after a quiet spell, the burst again and no more").isEqualTo(4);
    assertThat(a.shed()[0]).isEqualTo(1 + 1 + 6);
  }

  @Test
  void withoutABurstTheRateIsTheBurst() {
    Admission a = admission(3, 0, 0);
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      out.add(a.admit("192.0.2.7").admitted());
    }
    assertThat(out).containsExactly(true, true, true, false, false);
  }

  @Test
  void aStrictRateTellsHowLongToWait() {
    Admission a = admission(1, 1, 0);
    assertThat(a.admit("192.0.2.7").admitted()).isTrue();
    now += SECOND / 10;
    Admission.Ticket t = a.admit("192.0.2.7");
    assertThat(t.admitted()).isFalse();
    assertThat(t.retryAfterSeconds()).isEqualTo(1);
    now += SECOND;
    assertThat(a.admit("192.0.2.7").admitted()).isTrue();
  }

  @Test
  void ipv6AddressesShareTheAllowanceOfTheirSlash64() {
    assertThat(Admission.key("2001:db8:1:2:aaaa::1")).isEqualTo(Admission.key("2001:db8:1:2:bbbb:cccc:dddd:eeee"));
    assertThat(Admission.key("2001:db8:1:2::1")).isNotEqualTo(Admission.key("2001:db8:1:3::1"));
    assertThat(Admission.key("203.0.113.9")).isEqualTo("203.0.113.9");
    Admission a = admission(1, 1, 0);
    assertThat(a.admit("2001:db8:1:2::1").admitted()).isTrue();
    assertThat(a.admit("2001:db8:1:2::ffff").admitted()).isFalse();
  }

  @Test
  void addressesWhoseAllowanceIsFullAgainAreForgotten() {
    Admission a = admission(10, 10, 0);
    for (int i = 0; i < 100; i++) {
      a.admit("10.1.0." + i);
    }
    assertThat(a.tracked()).isEqualTo(100);
    now += 11 * SECOND;
    a.admit("10.2.0.1");
    assertThat(a.tracked()).isEqualTo(1);
  }

  @Test
  void pendingConnectionsAreBoundedUntilReleased() {
    Admission a = admission(0, 0, 2);
    Admission.Ticket first = a.admit("10.0.0.1");
    Admission.Ticket second = a.admit("10.0.0.2");
    Admission.Ticket third = a.admit("10.0.0.3");
    assertThat(first.admitted()).isTrue();
    assertThat(second.admitted()).isTrue();
    assertThat(third.admitted()).isFalse();
    assertThat(third.refusal().reason).isEqualTo("overloaded");
    assertThat(third.retryAfterSeconds()).isBetween(1, 5);
    third.release();
    assertThat(a.pending()).as("a refused ticket holds nothing").isEqualTo(2);

    first.release();
    first.release();
    assertThat(a.pending()).as("released once, however often it is called").isEqualTo(1);
    assertThat(a.admit("10.0.0.4").admitted()).isTrue();
    assertThat(a.admit("10.0.0.5").admitted()).isFalse();
    assertThat(a.shed()[1]).isEqualTo(2);
  }

  @Test
  void theRateIsCheckedBeforeThePendingLimit() {
    Admission a = admission(1, 1, 1);
    Admission.Ticket t = a.admit("10.0.0.1");
    assertThat(t.admitted()).isTrue();
    assertThat(a.admit("10.0.0.1").refusal()).isEqualTo(Admission.Refusal.RATE_LIMITED);
    assertThat(a.admit("10.0.0.2").refusal()).isEqualTo(Admission.Refusal.OVERLOADED);
    t.release();
    assertThat(a.admit("10.0.0.2").refusal()).as("a shed attempt counts toward its address's rate, as nginx counts requests")
        .isEqualTo(Admission.Refusal.RATE_LIMITED);
    assertThat(a.admit("10.0.0.3").admitted()).isTrue();
  }

  @Test
  void theSameLimitsShareOneInstance() {
    Admission.Limits l = new Admission.Limits(7, 0, 99);
    assertThat(Admission.shared(l)).isSameAs(Admission.shared(new Admission.Limits(7, 0, 99)));
    assertThat(Admission.shared(l)).isNotSameAs(Admission.shared(new Admission.Limits(7, 0, 98)));
  }
}
