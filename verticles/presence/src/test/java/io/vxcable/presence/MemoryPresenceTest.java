package io.vxcable.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract on the memory backend, plus what only it shows: nothing is kept for the departed. */
class MemoryPresenceTest extends PresenceContract {

  @Override
  MemoryPresence newPresence(int ttlSeconds) {
    return new MemoryPresence(ttlSeconds, () -> now);
  }

  @Test
  void streamsAndSessionsDisappearWithTheirLastMember() throws Exception {
    MemoryPresence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("")));
    get(p.join("lobby", "s1", "alice", info("")));
    get(p.join("room", "s2", "bob", info("")));
    assertThat(p.streamCount()).isEqualTo(2);
    assertThat(p.sessionCount()).isEqualTo(2);
    get(p.leave("room", "s2"));
    assertThat(p.sessionCount()).isEqualTo(1);
    now += 16_000;
    assertThat(get(p.expire())).hasSize(2);
    assertThat(p.streamCount()).isZero();
    assertThat(p.sessionCount()).isZero();
    get(p.touch(List.of("s1")));
    assertThat(p.streamCount()).isZero();
  }
}
