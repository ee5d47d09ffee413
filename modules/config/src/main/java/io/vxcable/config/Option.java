package io.vxcable.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One anycable-go option.
 *
 * @param name the flag name without dashes; also the key in conf/*.json and in {@link Settings}
 * @param type value type
 * @param defaultValue anycable-go's default (String, Integer, Boolean, JsonArray or JsonObject)
 * @param toml the TOML path in anycable.toml; null for command-line-only flags
 * @param section the help and docs section
 * @param description one line
 * @param hidden hidden from --help in anycable-go
 * @param deprecated kept for compatibility
 * @param planned null when supported; otherwise the feature it arrives with
 * @param envAliases extra environment variables besides {@code ANYCABLE_<NAME>}
 */
public record Option(
    String name,
    Type type,
    Object defaultValue,
    String toml,
    String section,
    String description,
    boolean hidden,
    boolean deprecated,
    String planned,
    List<String> envAliases) {

  public enum Type { STRING, INT, BOOL, LIST, MAP }

  /** {@code ANYCABLE_} + upper-cased name with {@code -} turned into {@code _}. */
  public String envVar() {
    return "ANYCABLE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** Every environment variable read for this option, highest priority first. */
  public List<String> envVars() {
    if (toml == null) {
      return List.of();
    }
    List<String> all = new ArrayList<>();
    all.add(envVar());
    all.addAll(envAliases);
    return all;
  }

  public boolean supported() {
    return planned == null;
  }

  /**
   * True for a key or secret: a name containing {@code secret} or ending in {@code _key}, unless
   * its TOML key names a file ({@code *_path}, as {@code ssl_key}'s {@code server.ssl.key_path}).
   * {@code --print-config} shows such an option only as the user set it, never a derived value.
   */
  public boolean sensitive() {
    boolean path = toml != null && toml.endsWith("_path");
    return !path && (name.contains("secret") || name.endsWith("_key"));
  }

  /**
   * Converts a raw value (string from a flag, env var or TOML; or a JSON value) to this option's
   * type.
   *
   * @throws IllegalArgumentException with a short reason
   */
  public Object coerce(Object raw) {
    if (raw == null) {
      return defaultValue;
    }
    switch (type) {
      case STRING:
        if (raw instanceof JsonArray a) {
          return String.join(",", a.stream().map(String::valueOf).toList());
        }
        return raw.toString();
      case INT:
        if (raw instanceof Number n) {
          return n.intValue();
        }
        try {
          return Integer.parseInt(raw.toString().trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected an integer");
        }
      case BOOL:
        if (raw instanceof Boolean b) {
          return b;
        }
        String s = raw.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
          case "true", "1", "t", "yes" -> true;
          case "false", "0", "f", "no", "" -> false;
          default -> throw new IllegalArgumentException("expected true or false");
        };
      case LIST:
        JsonArray list = new JsonArray();
        if (raw instanceof JsonArray a) {
          a.forEach(v -> list.add(String.valueOf(v)));
        } else {
          for (String part : raw.toString().split(",")) {
            if (!part.trim().isEmpty()) {
              list.add(part.trim());
            }
          }
        }
        return list;
      case MAP:
        if (raw instanceof JsonObject o) {
          return o.copy();
        }
        JsonObject map = new JsonObject();
        for (String part : raw.toString().split(",")) {
          int colon = part.indexOf(':');
          if (part.isBlank()) {
            continue;
          }
          if (colon <= 0) {
            throw new IllegalArgumentException("expected key:value pairs");
          }
          map.put(part.substring(0, colon).trim(), part.substring(colon + 1).trim());
        }
        return map;
      default:
        throw new IllegalStateException();
    }
  }

  /** The default as it reads on a command line ({@code ""} shown as empty). */
  public String defaultText() {
    if (defaultValue instanceof JsonArray a) {
      return String.join(",", a.stream().map(String::valueOf).toList());
    }
    if (defaultValue instanceof JsonObject o) {
      return String.join(",", o.fieldNames().stream().map(k -> k + ":" + o.getValue(k)).toList());
    }
    return String.valueOf(defaultValue);
  }
}
