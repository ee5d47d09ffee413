package io.vxcable.session.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {

  @Test
  void theTokenSubProtocolCarriesAJwt() {
    assertThat(Handshake.protocolToken("actioncable-v1-json, anycable-token.a.b.c")).isEqualTo("a.b.c");
    assertThat(Handshake.protocolToken("actioncable-v1-json")).isNull();
  }

  @Test
  void cookiesAreFilteredByNameWhenAListIsGiven() {
    assertThat(Handshake.filterCookies("a=1; b=2; c=3", List.of("a", "c"))).isEqualTo("a=1;c=3;");
    assertThat(Handshake.filterCookies("a=1; b=2", List.of())).isEqualTo("a=1; b=2");
    assertThat(Handshake.filterCookies("broken; a=1", List.of("a"))).isEqualTo("a=1;");
  }

  @Test
  void randomSessionIdsUseTheNanoidAlphabet() {
    String id = Handshake.randomId(21);
    assertThat(id).hasSize(21).matches("[A-Za-z0-9_-]+");
    assertThat(Handshake.randomId(21)).isNotEqualTo(id);
  }

  @Test
  void everyPositionOfAnIdTakesEveryCharacter() {
    // 2,000 ids: a position that misses one of the 64 characters by chance has odds of about 1e-13;
    // a position fed fewer than 6 random bits misses half of them.
    List<java.util.Set<Character>> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 21; i++) {
      seen.add(new java.util.HashSet<>());
    }
    for (int n = 0; n < 2000; n++) {
      String id = Handshake.randomId(21);
      for (int i = 0; i < 21; i++) {
        seen.get(i).add(id.charAt(i));
      }
    }
    assertThat(seen).allSatisfy(chars -> assertThat(chars).hasSize(64));
  }
}
