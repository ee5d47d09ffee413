package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {

  @Test
  void theServerPreferenceWinsOverTheClientOrder() {
    assertThat(Handshake.selectProtocol("actioncable-v1-ext-json, actioncable-v1-json")).isEqualTo("actioncable-v1-json");
    assertThat(Handshake.selectProtocol("actioncable-v1-ext-json")).isEqualTo("actioncable-v1-ext-json");
    assertThat(Handshake.selectProtocol("anycable-token.abc,actioncable-v1-json")).isEqualTo("actioncable-v1-json");
  }

  @Test
  void noMatchingProtocolSelectsNone() {
    assertThat(Handshake.selectProtocol(null)).isNull();
    assertThat(Handshake.selectProtocol("graphql-ws")).isNull();
    assertThat(Handshake.selectProtocol("anycable-token.abc")).isNull();
  }

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
}
