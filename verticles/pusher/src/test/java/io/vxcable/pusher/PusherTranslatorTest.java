package io.vxcable.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.session.translator.Translators;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PusherTranslatorTest {

  final PusherTranslator translator = new PusherTranslator();

  static Settings conf(JsonObject json) {
    return Settings.fromVerticleConfig(json, Map.of());
  }

  @Test
  void theServiceLoaderFindsIt() {
    assertThat(Translators.discover()).anySatisfy(t -> assertThat(t).isInstanceOf(PusherTranslator.class));
  }

  @Test
  void itIsServedAtAppKeyOnlyWhenTheAppIdAndKeyAreBothSet() {
    assertThat(translator.path(conf(new JsonObject()))).isNull();
    assertThat(translator.path(conf(new JsonObject().put("pusher_app_key", "detox")))).isNull();
    assertThat(translator.path(conf(new JsonObject().put("pusher_app_id", "my-id")))).isNull();
    assertThat(translator.path(conf(new JsonObject().put("pusher_app_id", "my-id").put("pusher_app_key", "detox"))))
        .isEqualTo("/app/detox");
  }

  @Test
  void theSecretFallsBackToTheServersSecret() {
    Settings s = conf(new JsonObject().put("pusher_app_id", "my-id").put("pusher_app_key", "detox").put("secret", "s3"));
    assertThat(io.vxcable.session.SessionOptions.from(s).pusherSecret()).isEqualTo("s3");
    assertThat(io.vxcable.session.SessionOptions.from(s).pusherKey()).isEqualTo("detox");
    assertThat(io.vxcable.session.SessionOptions.from(conf(new JsonObject().put("pusher_app_key", "detox"))).pusherKey())
        .as("off without an app id").isEmpty();
  }
}
