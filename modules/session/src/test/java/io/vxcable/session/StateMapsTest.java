package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateMapsTest {

  @Test
  void nothingToChangeKeepsTheStateItself() {
    Map<String, String> state = Map.of("a", "1");
    assertThat(StateMaps.merge(state, Map.of())).isSameAs(state);
    assertThat(StateMaps.merge(null, Map.of())).isNull();
  }

  @Test
  void changesAreAppliedToACopyAndAnEmptyValueDeletesTheKey() {
    Map<String, String> first = StateMaps.merge(null, Map.of("$w", "room", "$p", "room"));
    assertThat(first).containsExactlyInAnyOrderEntriesOf(Map.of("$w", "room", "$p", "room"));
    Map<String, String> changes = new HashMap<>();
    changes.put("$p", "");
    changes.put("joined_at", "42");
    Map<String, String> second = StateMaps.merge(first, changes);
    assertThat(second).containsExactlyInAnyOrderEntriesOf(Map.of("$w", "room", "joined_at", "42"));
    assertThat(first).as("the earlier map is untouched").containsEntry("$p", "room");
    changes.put("$w", null);
    assertThat(StateMaps.merge(second, changes)).containsExactlyInAnyOrderEntriesOf(Map.of("joined_at", "42"));
  }

  @Test
  void theStateKeptIsImmutable() {
    Map<String, String> state = StateMaps.merge(null, Map.of("k", "v"));
    assertThatThrownBy(() -> state.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }
}
