package io.vxcable.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/** anycable.toml: read into the file layer, and written by {@code --print-config}. */
final class TomlConfig {

  private static final Logger LOG = Logger.getLogger(TomlConfig.class.getName());

  private TomlConfig() {}

  static void read(Path file, Layers l) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
    Map<String, Option> byPath = new LinkedHashMap<>();
    for (Option o : OptionCatalog.all()) {
      if (o.toml() != null) {
        byPath.put(o.toml(), o);
      }
    }
    walk(root, "", byPath, l, file);
  }

  private static void walk(JsonNode node, String prefix, Map<String, Option> byPath, Layers l, Path file) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      Option o = byPath.get(path);
      if (o != null) {
        l.set(o, value(e.getValue()), path + " in " + file);
      } else if (e.getValue().isObject()) {
        walk(e.getValue(), path, byPath, l, file);
      } else {
        LOG.warning(() -> "unknown configuration key " + path + " in " + file);
      }
    }
  }

  private static Object value(JsonNode n) {
    if (n.isArray()) {
      JsonArray a = new JsonArray();
      n.forEach(v -> a.add(v.asText()));
      return a;
    }
    if (n.isObject()) {
      JsonObject o = new JsonObject();
      n.fields().forEachRemaining(e -> o.put(e.getKey(), e.getValue().asText()));
      return o;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      return n.intValue();
    }
    return n.asText();
  }

  /**
   * The configuration as TOML: supported options with their effective values; planned ones and
   * {@linkplain Option#sensitive() keys and secrets} as given, before derivation, so a key derived
   * from {@code --secret} is never printed (it is derived again when the output is loaded back,
   * which gives the same effective settings).
   */
  static String write(JsonObject effective, JsonObject layered) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    sections.put("", new ArrayList<>());
    for (Option o : OptionCatalog.all()) {
      if (o.toml() == null) {
        continue;
      }
      Object v = o.supported() && !o.sensitive() ? effective.getValue(o.name()) : layered.getValue(o.name());
      int dot = o.toml().lastIndexOf('.');
      String section = dot < 0 ? "" : o.toml().substring(0, dot);
      String key = dot < 0 ? o.toml() : o.toml().substring(dot + 1);
      sections.computeIfAbsent(section, s -> new ArrayList<>()).add(key + " = " + format(v));
    }
    StringBuilder sb = new StringBuilder("# vxcable configuration (anycable-go compatible anycable.toml)\n");
    for (Map.Entry<String, List<String>> s : sections.entrySet()) {
      if (!s.getKey().isEmpty()) {
        sb.append("\n[").append(s.getKey()).append("]\n");
      }
      s.getValue().forEach(line -> sb.append(line).append('\n'));
    }
    return sb.toString();
  }

  private static String format(Object v) {
    if (v instanceof JsonArray a) {
      List<String> items = new ArrayList<>();
      a.forEach(x -> items.add(quote(String.valueOf(x))));
      return "[" + String.join(", ", items) + "]";
    }
    if (v instanceof JsonObject o) {
      List<String> items = new ArrayList<>();
      o.forEach(e -> items.add(quote(e.getKey()) + " = " + quote(String.valueOf(e.getValue()))));
      return "{ " + String.join(", ", items) + " }";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return quote(v == null ? "" : v.toString());
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
