package io.vxcable.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.session.translator.Translators;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OcppTranslatorTest {

  final OcppTranslator translator = new OcppTranslator();

  static Settings conf(JsonObject json) {
    return Settings.fromVerticleConfig(json, Map.of());
  }

  @Test
  void theServiceLoaderFindsIt() {
    assertThat(Translators.discover()).anySatisfy(t -> assertThat(t).isInstanceOf(OcppTranslator.class));
  }

  @Test
  void itIsServedUnderOcppPathWithTheStationIdOnlyWhenSet() {
    assertThat(translator.path(conf(new JsonObject()))).isNull();
    assertThat(translator.path(conf(new JsonObject().put("ocpp_path", "/ocpp")))).isEqualTo("/ocpp/{station_id}");
    assertThat(translator.path(conf(new JsonObject().put("ocpp_path", "/ev/")))).isEqualTo("/ev/{station_id}");
  }

  @Test
  void granularActionsByDefault() {
    assertThat(((OcppProtocol) translator.protocol(conf(new JsonObject()))).granular()).isTrue();
    OcppProtocol single = (OcppProtocol) translator.protocol(conf(new JsonObject()
        .put("ocpp_granular_actions", false).put("ping_interval", 11)));
    assertThat(single.granular()).isFalse();
    assertThat(single.heartbeatInterval()).isEqualTo(11);
  }
}
