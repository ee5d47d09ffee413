package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerWheelTest {

  static final class Probe extends TimerWheel.Entry {
    final List<Long> fired = new ArrayList<>();
    Runnable onFire = () -> { };

    @Override
    void onTimer(long now) {
      fired.add(now);
      onFire.run();
    }
  }

  @Test
  void anEntryFiresOnceItsDeadlineIsReached() {
    TimerWheel wheel = new TimerWheel(50, 16, 1_000);
    Probe p = new Probe();
    wheel.schedule(p, 1_230);
    wheel.advance(1_200);
    assertThat(p.fired).isEmpty();
    wheel.advance(1_250);
    assertThat(p.fired).containsExactly(1_250L);
    assertThat(wheel.size()).isZero();
  }

  @Test
  void deadlinesBeyondOneTurnWaitForTheirRound() {
    TimerWheel wheel = new TimerWheel(50, 4, 0); // one turn = 200 ms
    Probe p = new Probe();
    wheel.schedule(p, 450);
    wheel.advance(60);
    wheel.advance(260);
    assertThat(p.fired).isEmpty();
    wheel.advance(460);
    assertThat(p.fired).containsExactly(460L);
  }

  @Test
  void aLongPauseFiresEverythingThatBecameDue() {
    TimerWheel wheel = new TimerWheel(50, 8, 0);
    Probe a = new Probe();
    Probe b = new Probe();
    wheel.schedule(a, 100);
    wheel.schedule(b, 5_000);
    wheel.advance(10_000);
    assertThat(a.fired).containsExactly(10_000L);
    assertThat(b.fired).containsExactly(10_000L);
  }

  @Test
  void reschedulingMovesAnEntryAndCancelRemovesIt() {
    TimerWheel wheel = new TimerWheel(50, 16, 0);
    Probe p = new Probe();
    wheel.schedule(p, 100);
    wheel.schedule(p, 400);
    wheel.advance(200);
    assertThat(p.fired).isEmpty();
    wheel.cancel(p);
    wheel.advance(500);
    assertThat(p.fired).isEmpty();
    assertThat(wheel.size()).isZero();
  }

  @Test
  void aCallbackMayRescheduleItselfAndOthers() {
    TimerWheel wheel = new TimerWheel(50, 16, 0);
    Probe a = new Probe();
    Probe b = new Probe();
    a.onFire = () -> {
      wheel.schedule(a, 300);
      wheel.schedule(b, 600);
    };
    wheel.schedule(a, 100);
    wheel.schedule(b, 150);
    wheel.advance(100);
    assertThat(a.fired).containsExactly(100L);
    assertThat(b.fired).isEmpty();
    wheel.advance(200);
    assertThat(b.fired).isEmpty();
    wheel.advance(300);
    assertThat(a.fired).hasSize(2);
    wheel.advance(600);
    assertThat(b.fired).containsExactly(600L);
  }

  @Test
  void aPastDeadlineFiresOnTheNextTick() {
    TimerWheel wheel = new TimerWheel(50, 16, 1_000);
    Probe p = new Probe();
    wheel.schedule(p, 10);
    wheel.advance(1_050);
    assertThat(p.fired).containsExactly(1_050L);
  }
}
