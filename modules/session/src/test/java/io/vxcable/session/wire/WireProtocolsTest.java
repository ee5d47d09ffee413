package io.vxcable.session.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireProtocolsTest {

  final WireProtocols actionCable = WireProtocols.actionCable();

  @Test
  void theServerPreferenceWinsOverTheClientOrder() {
    assertThat(actionCable.select("actioncable-v1-ext-json, actioncable-v1-json")).isSameAs(ActionCableJson.V1);
    assertThat(actionCable.select("actioncable-v1-ext-json")).isSameAs(ActionCableJson.EXT);
    assertThat(actionCable.select("anycable-token.abc,actioncable-v1-json")).isSameAs(ActionCableJson.V1);
  }

  @Test
  void noMatchingProtocolSelectsNoneAndThePlainProtocolServesTheClient() {
    assertThat(actionCable.select(null)).isNull();
    assertThat(actionCable.select("graphql-ws")).isNull();
    assertThat(actionCable.select("anycable-token.abc")).isNull();
    assertThat(actionCable.fallback()).isSameAs(ActionCableJson.V1);
  }
}
