package io.vxcable.session.ds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Offsets as anycable-go reads and writes them. */
class DsOffsetTest {

  @Test
  void reservedValuesNameTheStartOrTheTail() throws Exception {
    assertThat(DsOffset.parse("-1")).isEqualTo(DsOffset.START);
    assertThat(DsOffset.parse("0")).isEqualTo(DsOffset.START);
    assertThat(DsOffset.parse("")).isEqualTo(DsOffset.START);
    assertThat(DsOffset.parse("now")).isEqualTo(DsOffset.NOW);
  }

  @Test
  void aPositionIsAnUnsignedDecimalAndAnEpoch() throws Exception {
    assertThat(DsOffset.parse("42::a3Z_")).isEqualTo(new DsOffset(DsOffset.Kind.POSITION, 42, "a3Z_"));
    assertThat(DsOffset.parse("7")).isEqualTo(new DsOffset(DsOffset.Kind.POSITION, 7, ""));
    assertThat(DsOffset.parse("7::")).isEqualTo(new DsOffset(DsOffset.Kind.POSITION, 7, ""));
    assertThat(DsOffset.parse("007::e")).isEqualTo(new DsOffset(DsOffset.Kind.POSITION, 7, "e"));
    assertThat(DsOffset.parse("1::e::f")).as("the epoch ends at the next separator")
        .isEqualTo(new DsOffset(DsOffset.Kind.POSITION, 1, "e"));
    assertThat(DsOffset.parse("18446744073709551615::e").offset()).as("the largest uint64").isEqualTo(-1L);
  }

  @Test
  void anythingElseIsMalformed() {
    for (String bad : new String[] {"abc", "1,2", " 1", "1 ", "+1", "-2", "1.5", "::e", "18446744073709551616",
        "123456789012345678901::e", "now::e", "-1::e"}) {
      assertThatThrownBy(() -> DsOffset.parse(bad)).as(bad).isInstanceOf(DsOffset.Malformed.class);
    }
  }

  @Test
  void encodingIsTheInverseAndZeroBeforeAnyPublication() throws Exception {
    assertThat(DsOffset.encode(42, "a3Z_")).isEqualTo("42::a3Z_");
    assertThat(DsOffset.parse(DsOffset.encode(42, "a3Z_"))).isEqualTo(new DsOffset(DsOffset.Kind.POSITION, 42, "a3Z_"));
    assertThat(DsOffset.encode(0, "a3Z_")).isEqualTo("0");
    assertThat(DsOffset.encode(5, "")).isEqualTo("0");
    assertThat(DsOffset.encode(-1L, "e")).isEqualTo("18446744073709551615::e");
  }
}
