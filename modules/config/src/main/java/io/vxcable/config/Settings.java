package io.vxcable.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resolved, validated configuration: one flat key space whose keys are anycable-go's flag
 * names ({@code port}, {@code max-conn}, {@code broadcast_adapter}, ...). Derived settings (secret
 * fallbacks, the HTTP broadcast port rule, {@code --public}) are already applied, so a verticle
 * reads the effective value under the flag's own name. Immutable.
 */
public final class Settings {

  /** Marker key: a config carrying {@code "resolved": true} is used as is (no env overlay). */
  public static final String RESOLVED = "resolved";

  private final JsonObject values;

  private Settings(JsonObject values) {
    this.values = values;
  }

  /** Wraps an already resolved configuration (from {@link ConfigResolver}). */
  public static Settings of(JsonObject resolved) {
    return new Settings(resolved.copy().put(RESOLVED, true));
  }

  /**
   * The settings of a verticle deployed with {@code vertx run <verticle> -conf <json>}: the JSON is
   * taken as the config file layer (defaults &lt; file &lt; {@code ANYCABLE_*} env), then derived
   * and validated. A config that carries {@code "resolved": true} (the bundle and the CLI pass
   * one) is used as is.
   *
   * @throws ConfigException naming the offending key
   */
  public static Settings fromVerticleConfig(JsonObject config) {
    return fromVerticleConfig(config, System.getenv());
  }

  public static Settings fromVerticleConfig(JsonObject config, Map<String, String> env) {
    if (config != null && config.getBoolean(RESOLVED, false)) {
      return new Settings(config);
    }
    return ConfigResolver.resolveVerticleConfig(config == null ? new JsonObject() : config, env);
  }

  public String string(String key) {
    Object v = values.getValue(key);
    return v == null ? "" : v.toString();
  }

  public int integer(String key) {
    Object v = values.getValue(key);
    if (v instanceof Number n) {
      return n.intValue();
    }
    if (v == null || v.toString().isEmpty()) {
      return 0;
    }
    return Integer.parseInt(v.toString().trim());
  }

  public boolean bool(String key) {
    Object v = values.getValue(key);
    if (v instanceof Boolean b) {
      return b;
    }
    return v != null && ("true".equalsIgnoreCase(v.toString()) || "1".equals(v.toString()));
  }

  /** A list setting: a JSON array, or a comma-separated string (empty entries dropped). */
  public List<String> list(String key) {
    Object v = values.getValue(key);
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (o != null && !o.toString().isEmpty()) {
          out.add(o.toString());
        }
      }
    } else if (v != null) {
      for (String part : v.toString().split(",")) {
        String t = part.trim();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** A copy of the flat values, with the {@code resolved} marker, ready to pass to a verticle. */
  public JsonObject toJson() {
    return values.copy();
  }

  @Override
  public String toString() {
    return values.encode();
  }
}
