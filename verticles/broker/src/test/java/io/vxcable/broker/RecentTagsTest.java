package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentTagsTest {

  @Test
  void aTagIsRememberedForTheWindowThenForgotten() {
    RecentTags tags = new RecentTags();
    tags.put(RecentTags.hash("b1:0"), 7, 1_000);
    tags.put(RecentTags.hash("b2:0"), 8, 20_000);
    tags.expire(30_000, 30_000);
    assertThat(tags.offsetOf(RecentTags.hash("b1:0"))).isEqualTo(7L);
    tags.expire(31_001, 30_000);
    assertThat(tags.offsetOf(RecentTags.hash("b1:0"))).isNull();
    assertThat(tags.offsetOf(RecentTags.hash("b2:0"))).isEqualTo(8L);
    assertThat(tags.size()).isEqualTo(1);
  }

  @Test
  void atMostMaxTagsAreKeptTheOldestGoFirst() {
    RecentTags tags = new RecentTags();
    for (int i = 0; i < RecentTags.MAX + 10; i++) {
      tags.put(RecentTags.hash("b:" + i), i + 1, 5_000);
    }
    tags.expire(5_000, 30_000);
    assertThat(tags.size()).isEqualTo(RecentTags.MAX);
    assertThat(tags.offsetOf(RecentTags.hash("b:9"))).isNull();
    assertThat(tags.offsetOf(RecentTags.hash("b:10"))).isEqualTo(11L);
    assertThat(tags.offsetOf(RecentTags.hash("b:" + (RecentTags.MAX + 9)))).isEqualTo(RecentTags.MAX + 10L);
  }
}
