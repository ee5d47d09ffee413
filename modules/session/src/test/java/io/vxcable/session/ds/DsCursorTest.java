package io.vxcable.session.ds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cursors: 20-second intervals since 2024-10-09, and always past a client's own. */
class DsCursorTest {

  long now = DsCursor.EPOCH_MS + 1_000 * DsCursor.INTERVAL_MS + 5_000;
  int jitter = 0;
  final DsCursor cursor = new DsCursor(() -> now, n -> {
    assertThat(n).isEqualTo(60);
    return jitter;
  });

  @Test
  void theCursorIsTheCurrentInterval() {
    assertThat(cursor.next("")).isEqualTo("1000");
    now += DsCursor.INTERVAL_MS;
    assertThat(cursor.next("")).isEqualTo("1001");
    assertThat(cursor.next("999")).as("an older client cursor").isEqualTo("1001");
    assertThat(cursor.next("junk")).isEqualTo("1001");
  }

  @Test
  void aClientAtOrPastTheIntervalMovesOnByOneToSixty() {
    assertThat(cursor.next("1000")).isEqualTo("1001");
    jitter = 59;
    assertThat(cursor.next("1000")).isEqualTo("1060");
    assertThat(cursor.next("5000")).isEqualTo("5060");
    assertThat(cursor.next(String.valueOf(Long.MAX_VALUE))).as("no overflow").isEqualTo("1000");
  }

  @Test
  void anyTimeGivesAPlausibleCursor() {
    DsCursor real = new DsCursor(System::currentTimeMillis, n -> 0);
    // 2026 or later: more than 1.5 million intervals since the cursor epoch.
    assertThat(Long.parseLong(real.next(""))).isGreaterThan(1_500_000L);
  }
}
