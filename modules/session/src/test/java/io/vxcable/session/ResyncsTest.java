package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vxcable.contracts.Addresses;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** A resync without a body names every stream; with shards, the streams of those shards only; with heads, a position per stream. */
class ResyncsTest {

  @Test
  void shardsNameTheirStreamsOnly() {
    assertThat(Resyncs.streams(null).test("anything")).isTrue();
    String a = "room-a";
    String other = "room-0";
    for (int i = 1; Addresses.shardOf(other) == Addresses.shardOf(a); i++) {
      other = "room-" + i;
    }
    Predicate<String> some = Resyncs.streams(new JsonArray().add(Addresses.shardOf(a)).add(-1).add("x"));
    assertThat(some.test(a)).isTrue();
    assertThat(some.test(other)).isFalse();
    assertThat(Resyncs.streams(new JsonArray()).test(a)).isFalse();
  }

  @Test
  void headsNameAnEpochAndAnOffsetPerStreamAndMalformedOnesAreSkipped() {
    var heads = Resyncs.heads(new io.vertx.core.json.JsonObject()
        .put("a", new JsonArray().add("e1").add(7))
        .put("b", new JsonArray().add(7).add("e1"))
        .put("c", "nonsense")
        .put("d", new JsonArray().add("e2")));
    assertThat(heads).containsOnlyKeys("a");
    assertThat(heads.get("a").getKey()).isEqualTo("e1");
    assertThat(heads.get("a").getValue()).isEqualTo(7L);
  }
}
