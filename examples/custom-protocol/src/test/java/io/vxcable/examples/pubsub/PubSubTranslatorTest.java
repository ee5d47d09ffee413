package io.vxcable.examples.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.translator.Translators;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PubSubTranslatorTest {

  private final PubSubTranslator translator = new PubSubTranslator();

  private static Settings conf(JsonObject json) {
    return Settings.fromVerticleConfig(json, Map.of());
  }

  @Test
  void theServiceLoaderFindsIt() {
    assertThat(Translators.discover()).extracting(Translator::name).containsExactly("pubsub");
    assertThat(Translators.discover()).hasOnlyElementsOfType(PubSubTranslator.class);
  }

  @Test
  void itServesSlashPubsubUnlessTheConfigNamesAnotherPath() {
    assertThat(translator.path(conf(new JsonObject()))).isEqualTo("/pubsub");
    assertThat(translator.path(conf(new JsonObject().put("pubsub_path", "/rooms")))).isEqualTo("/rooms");
    assertThat(translator.path(conf(new JsonObject().put("pubsub_path", "")))).isEmpty();
  }

  @Test
  void everyConnectionSpeaksThePubSubProtocol() {
    assertThat(translator.protocol(conf(new JsonObject()))).isSameAs(PubSubProtocol.INSTANCE);
  }
}
