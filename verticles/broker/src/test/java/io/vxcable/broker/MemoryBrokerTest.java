package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract on the memory backend, plus what only it does: its own sweeping. */
class MemoryBrokerTest extends BrokerContract {

  @Override
  MemoryBroker newBroker(int historyLimit, int historyTtlSeconds, int sessionsTtlSeconds) {
    return new MemoryBroker(historyLimit, historyTtlSeconds, sessionsTtlSeconds, () -> now);
  }

  @Test
  void theSweeperForgetsIdleStreamsAndExpiredSessions() throws Exception {
    MemoryBroker broker = newBroker(3, 60, 300);
    append(broker, msg("a", "1"));
    get(broker.commitSession("s", new byte[] {1}));
    now += 61_000;
    broker.expire();
    assertThat(broker.streamCount()).isEqualTo(1);
    assertThat(broker.sessionCount()).isEqualTo(1);
    now += 601_000;
    broker.expire();
    assertThat(broker.streamCount()).isZero();
    assertThat(broker.sessionCount()).isZero();
  }

  @Test
  void everyStartHasItsOwnEpoch() {
    assertThat(newBroker(1, 1, 1).epoch()).isNotEqualTo(newBroker(1, 1, 1).epoch());
  }
}
