package io.vxcable.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.PresenceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link Presence} contract: every backend runs these tests through a subclass. Time comes
 * from {@link #now}, which the tests move by hand; the TTL is 15 s throughout.
 */
abstract class PresenceContract {

  static final int TTL = 15;
  volatile long now = 1_700_000_000_000L;

  /** A fresh presence with its own empty state, reading the time from {@link #now}. */
  abstract Presence newPresence(int ttlSeconds) throws Exception;

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static byte[] info(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> ids(List<PresenceRecord> records) {
    return records.stream().map(PresenceRecord::getId).toList();
  }

  static List<String> infos(List<PresenceRecord> records) {
    return records.stream().map(r -> r.getInfo().toStringUtf8()).toList();
  }

  @Test
  void theFirstSessionOfAnIdMakesAJoinEvent() throws Exception {
    Presence p = newPresence(TTL);
    PresenceEvent event = get(p.join("room", "s1", "alice", info("{\"name\":\"Alice\"}")));
    assertThat(event).isEqualTo(new PresenceEvent("room", "join", "alice", "{\"name\":\"Alice\"}"));
    assertThat(event.json()).isEqualTo("{\"id\":\"alice\",\"info\":{\"name\":\"Alice\"},\"type\":\"join\"}");
  }

  @Test
  void anotherSessionOfTheSameIdMakesNoEventAndTheLatestInfoWins() throws Exception {
    Presence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("{\"v\":1}")));
    assertThat(get(p.join("room", "s2", "alice", info("{\"v\":2}")))).isNull();
    assertThat(get(p.join("room", "s1", "alice", info("{\"v\":3}")))).isNull();
    List<PresenceRecord> records = get(p.info("room"));
    assertThat(ids(records)).containsExactly("alice");
    assertThat(infos(records)).containsExactly("{\"v\":3}");
  }

  @Test
  void aSessionCannotHoldTwoIdsOnOneStreamButMayUseAnotherIdElsewhere() throws Exception {
    Presence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("{\"v\":1}")));
    assertThatThrownBy(() -> get(p.join("room", "s1", "bob", info("{}"))))
        .cause().isInstanceOf(Presence.PresenceException.class).hasMessage("presence ID mismatch");
    assertThat(ids(get(p.info("room")))).containsExactly("alice");
    assertThat(infos(get(p.info("room")))).containsExactly("{\"v\":1}");
    assertThat(get(p.join("lobby", "s1", "bob", info("")))).isNotNull();
  }

  @Test
  void anIdLeavesWithItsLastSessionOnly() throws Exception {
    Presence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("")));
    get(p.join("room", "s2", "alice", info("")));
    assertThat(get(p.leave("room", "s1"))).isNull();
    assertThat(ids(get(p.info("room")))).containsExactly("alice");
    PresenceEvent left = get(p.leave("room", "s2"));
    assertThat(left).isEqualTo(new PresenceEvent("room", "leave", "alice", ""));
    assertThat(left.json()).isEqualTo("{\"id\":\"alice\",\"type\":\"leave\"}");
    assertThat(get(p.info("room"))).isEmpty();
  }

  @Test
  void leavingWhatOneIsNotInIsNeitherAnErrorNorAnEvent() throws Exception {
    Presence p = newPresence(TTL);
    assertThat(get(p.leave("nowhere", "s1"))).isNull();
    get(p.join("room", "s1", "alice", info("")));
    assertThat(get(p.leave("room", "s2"))).isNull();
    assertThat(get(p.leave("room", "s1"))).isNotNull();
    assertThat(get(p.leave("room", "s1"))).isNull();
  }

  @Test
  void touchedSessionsOutliveTheirFirstDeadlineWhileUntouchedOnesExpireWithALeaveEvent() throws Exception {
    Presence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("")));
    get(p.join("room", "s2", "bob", info("")));
    get(p.join("lobby", "s1", "alice", info("")));
    now += 10_000;
    get(p.touch(List.of("s1", "unknown")));
    assertThat(get(p.expire())).isEmpty();
    now += 10_000; // bob's deadline passed 5 s ago; alice's is 5 s ahead in both streams
    assertThat(get(p.expire())).containsExactly(new PresenceEvent("room", "leave", "bob", ""));
    assertThat(ids(get(p.info("room")))).containsExactly("alice");
    assertThat(ids(get(p.info("lobby")))).containsExactly("alice");
    now += 6_000;
    assertThat(get(p.expire())).containsExactlyInAnyOrder(new PresenceEvent("room", "leave", "alice", ""),
        new PresenceEvent("lobby", "leave", "alice", ""));
    assertThat(get(p.info("room"))).isEmpty();
    assertThat(get(p.info("lobby"))).isEmpty();
  }

  @Test
  void aSessionIsPresentUntilItsDeadlineHasPassed() throws Exception {
    Presence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("")));
    now += TTL * 1000L;
    assertThat(get(p.expire())).isEmpty();
    now += 1;
    assertThat(get(p.expire())).hasSize(1);
  }

  @Test
  void anExpiredSessionIsNotRevivedByATouchAndJoinsAgainAsNew() throws Exception {
    Presence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("")));
    now += 16_000;
    assertThat(get(p.expire())).hasSize(1);
    get(p.touch(List.of("s1")));
    assertThat(get(p.info("room"))).isEmpty();
    assertThat(get(p.leave("room", "s1"))).isNull();
    assertThat(get(p.join("room", "s1", "alice", info("")))).isNotNull();
  }

  @Test
  void anIdStaysWhileAnotherOfItsSessionsIsAlive() throws Exception {
    Presence p = newPresence(TTL);
    get(p.join("room", "s1", "alice", info("")));
    now += 10_000;
    get(p.join("room", "s2", "alice", info("")));
    now += 6_000;
    assertThat(get(p.expire())).isEmpty();
    assertThat(ids(get(p.info("room")))).containsExactly("alice");
    assertThat(get(p.leave("room", "s2"))).isEqualTo(new PresenceEvent("room", "leave", "alice", ""));
  }

  @Test
  void infoOfAStreamWithoutPresenceIsEmpty() throws Exception {
    Presence p = newPresence(TTL);
    assertThat(get(p.info("nobody-here"))).isEmpty();
  }

  @Test
  void infoListsTheIdsInFirstJoinOrderWithTheirInfo() throws Exception {
    Presence p = newPresence(TTL);
    get(p.join("room", "s1", "carol", info("{\"name\":\"Carol\",\"tags\":[1,2]}")));
    get(p.join("room", "s2", "alice", info("")));
    get(p.join("room", "s3", "bob", info("\"plain\"")));
    get(p.join("room", "s4", "alice", info("")));
    List<PresenceRecord> records = get(p.info("room"));
    assertThat(ids(records)).containsExactly("carol", "alice", "bob");
    assertThat(infos(records)).containsExactly("{\"name\":\"Carol\",\"tags\":[1,2]}", "", "\"plain\"");
  }

  @Test
  void concurrentJoinsOfOneIdMakeExactlyOneJoinEvent() throws Exception {
    Presence p = newPresence(TTL);
    List<Future<PresenceEvent>> joins = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      joins.add(p.join("room", "s" + i, "alice", info("{}")));
    }
    get(Future.all(joins));
    assertThat(joins.stream().filter(f -> f.result() != null).count()).isEqualTo(1);
  }
}
