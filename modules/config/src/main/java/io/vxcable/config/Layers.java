package io.vxcable.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Option values being assembled layer by layer (defaults, file, env, flags), remembering where
 * each value came from so an error can name its source.
 */
final class Layers {

  final JsonObject values = new JsonObject();
  final Map<String, String> origins = new HashMap<>();
  /** Options whose value was computed (presets, aliases) rather than given. */
  final java.util.Set<String> derived = new java.util.HashSet<>();

  static Layers defaults() {
    Layers l = new Layers();
    for (Option o : OptionCatalog.all()) {
      l.values.put(o.name(), copy(o.defaultValue()));
    }
    return l;
  }

  /** Sets an option from a raw value, coerced to its type; the origin names the source in errors. */
  void set(Option o, Object raw, String origin) {
    try {
      values.put(o.name(), o.coerce(raw));
      origins.put(o.name(), origin);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid value \"" + raw + "\" for " + origin + ": " + e.getMessage());
    }
  }

  /** Sets a value computed from other options (presets, aliases). */
  void derive(String name, Object value, String because) {
    values.put(name, value);
    origins.put(name, because);
    derived.add(name);
  }

  Object get(String name) {
    return values.getValue(name);
  }

  String string(String name) {
    Object v = values.getValue(name);
    return v == null ? "" : v.toString();
  }

  int integer(String name) {
    return values.getInteger(name, 0);
  }

  boolean bool(String name) {
    return Boolean.TRUE.equals(values.getValue(name));
  }

  JsonArray list(String name) {
    return values.getJsonArray(name, new JsonArray());
  }

  boolean isDefault(String name) {
    return Objects.equals(values.getValue(name), OptionCatalog.get(name).defaultValue());
  }

  String origin(String name) {
    return origins.getOrDefault(name, "--" + name);
  }

  static Object copy(Object v) {
    if (v instanceof JsonArray a) {
      return a.copy();
    }
    if (v instanceof JsonObject o) {
      return o.copy();
    }
    return v;
  }
}
