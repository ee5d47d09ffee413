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
  void theBinaryFormatsFollowJsonEachPlainThenExtended() {
    assertThat(actionCable.names()).containsExactly("actioncable-v1-json", "actioncable-v1-ext-json",
        "actioncable-v1-msgpack", "actioncable-v1-ext-msgpack", "actioncable-v1-protobuf", "actioncable-v1-ext-protobuf");
    assertThat(actionCable.select("actioncable-v1-ext-msgpack")).isSameAs(ActionCableMsgpack.EXT);
    assertThat(actionCable.select("actioncable-v1-protobuf")).isSameAs(ActionCableProtobuf.V1);
    assertThat(actionCable.select("actioncable-v1-ext-protobuf, actioncable-v1-ext-json")).isSameAs(ActionCableJson.EXT);
  }

  @Test
  void noMatchingProtocolSelectsNoneAndThePlainProtocolServesTheClient() {
    assertThat(actionCable.select(null)).isNull();
    assertThat(actionCable.select("graphql-ws")).isNull();
    assertThat(actionCable.select("actioncable-v1-cbor, actioncable-unsupported")).isNull();
    assertThat(actionCable.select("anycable-token.abc")).isNull();
    assertThat(actionCable.fallback()).isSameAs(ActionCableJson.V1);
  }
}
