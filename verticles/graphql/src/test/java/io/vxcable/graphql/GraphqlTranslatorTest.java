package io.vxcable.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.translator.Translators;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphqlTranslatorTest {

  final GraphqlTranslator translator = new GraphqlTranslator();

  static Settings conf(JsonObject json) {
    return Settings.fromVerticleConfig(json, Map.of());
  }

  @Test
  void theServiceLoaderFindsIt() {
    assertThat(Translators.discover()).anySatisfy(t -> assertThat(t).isInstanceOf(GraphqlTranslator.class));
  }

  @Test
  void itIsServedOnGraphqlPathOnlyWhenSet() {
    assertThat(translator.path(conf(new JsonObject()))).isNull();
    assertThat(translator.path(conf(new JsonObject().put("graphql_path", "/graphql")))).isEqualTo("/graphql");
  }

  @Test
  void bothSubProtocolsGraphqlWsFirstWithTheChannelAndActionOfTheSettings() {
    List<WireProtocol> ps = translator.protocols(conf(new JsonObject()));
    assertThat(ps).extracting(WireProtocol::name).containsExactly("graphql-transport-ws", "graphql-ws");
    assertThat(translator.protocol(conf(new JsonObject())).name()).isEqualTo("graphql-transport-ws");
    GraphqlProtocol p = (GraphqlProtocol) ps.get(0);
    assertThat(p.identifier("1")).isEqualTo("{\"channel\":\"GraphqlChannel\",\"channelId\":\"1\"}");
    assertThat(p.action()).isEqualTo("execute");
    assertThat(p.jwtParam()).as("no JWT without a secret").isNull();

    GraphqlProtocol custom = (GraphqlProtocol) translator.protocols(conf(new JsonObject()
        .put("graphql_channel", "ApiChannel").put("graphql_action", "run").put("jwt_secret", "s")
        .put("jwt_param", "token"))).get(1);
    assertThat(custom.identifier("a")).isEqualTo("{\"channel\":\"ApiChannel\",\"channelId\":\"a\"}");
    assertThat(custom.action()).isEqualTo("run");
    assertThat(custom.jwtParam()).isEqualTo("token");
  }
}
