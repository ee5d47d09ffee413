package io.vxcable.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void slicesSplitTheRangeWithoutOverlap() {
    int[] one = FreePorts.range(1, 2);
    int[] two = FreePorts.range(2, 2);
    assertThat(one[0]).isEqualTo(FreePorts.LOW);
    assertThat(one[1]).isEqualTo(two[0]);
    assertThat(two[1]).isLessThanOrEqualTo(FreePorts.HIGH);
    assertThat(FreePorts.range(1, 1)).containsExactly(FreePorts.LOW, FreePorts.HIGH);
  }

  @Test
  void aSliceOutsideTheCountIsRefused() {
    assertThatThrownBy(() -> FreePorts.range(3, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FreePorts.range(0, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void slicesWithoutASliceNumberAreRefusedNotTakenAsTheFirst() {
    // Maven resolves a property whose whole value is ${surefire.forkNumber} to nothing: every fork
    // then shared the first slice.
    assertThatThrownBy(() -> FreePorts.range("", "2")).isInstanceOf(IllegalStateException.class).hasMessageContaining("argLine");
    assertThatThrownBy(() -> FreePorts.range(null, "2")).isInstanceOf(IllegalStateException.class);
    assertThat(FreePorts.range("2", "2")).containsExactly(FreePorts.range(2, 2));
    assertThat(FreePorts.range(null, null)).containsExactly(FreePorts.LOW, FreePorts.HIGH);
  }

  @Test
  void handsOutDistinctPortsInTheSlice() {
    System.setProperty("vxcable.ports.slice", "2");
    System.setProperty("vxcable.ports.slices", "2");
    try {
      int[] range = FreePorts.range(2, 2);
      int a = FreePorts.next();
      int b = FreePorts.next();
      assertThat(a).isNotEqualTo(b);
      assertThat(a).isBetween(range[0], range[1] - 1);
      assertThat(b).isBetween(range[0], range[1] - 1);
    } finally {
      System.clearProperty("vxcable.ports.slice");
      System.clearProperty("vxcable.ports.slices");
    }
  }
}
