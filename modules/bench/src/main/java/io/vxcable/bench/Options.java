package io.vxcable.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} pairs after the mode; every option has a default. */
final class Options {

  private final Map<String, String> values = new HashMap<>();

  Options(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        values.put(name, args.get(++i));
      } else {
        values.put(name, "true");
      }
    }
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  double decimal(String name, double fallback) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
  }

  List<String> list(String name, String fallback) {
    String v = string(name, fallback);
    return v.isBlank() ? List.of() : List.of(v.split(","));
  }
}
