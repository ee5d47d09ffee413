package io.vxcable.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Placeholder: owned by the config work package (replaced wholesale). */
public final class ConfigResolver {
  private ConfigResolver() {}

  static Settings resolveVerticleConfig(JsonObject config, Map<String, String> env) {
    throw new UnsupportedOperationException("not yet");
  }
}
