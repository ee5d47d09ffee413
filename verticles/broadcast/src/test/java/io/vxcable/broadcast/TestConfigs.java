package io.vxcable.broadcast;

import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import java.util.Map;

/** Verticle configs for the adapter tests. */
final class TestConfigs {

  private TestConfigs() {}

  /**
   * The config resolved as {@code vertx run -conf} resolves it (catalogue defaults and derivation),
   * without this machine's environment ({@code REDIS_URL} and {@code ANYCABLE_*} would win).
   */
  static JsonObject resolved(JsonObject config) {
    return Settings.fromVerticleConfig(config, Map.of()).toJson();
  }
}
