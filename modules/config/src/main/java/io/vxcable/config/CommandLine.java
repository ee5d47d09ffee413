package io.vxcable.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** anycable-go's flag syntax (urfave/cli): {@code --name value}, {@code --name=value}, single dashes too. */
final class CommandLine {

  private final Map<String, Object> flags = new LinkedHashMap<>();
  private boolean help;
  private boolean version;

  static CommandLine parse(List<String> args) {
    CommandLine c = new CommandLine();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new ConfigException("unexpected argument: " + arg);
      }
      String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      String inline = eq < 0 ? null : body.substring(eq + 1);
      if (name.equals("help") || name.equals("h")) {
        c.help = true;
        continue;
      }
      if (name.equals("version") || name.equals("v")) {
        c.version = true;
        continue;
      }
      Option o = OptionCatalog.get(name);
      if (o == null) {
        throw new ConfigException("unknown flag: " + arg.split("=", 2)[0]);
      }
      Object value;
      if (o.type() == Option.Type.BOOL) {
        value = inline == null ? "true" : inline;
      } else if (inline != null) {
        value = inline;
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new ConfigException("flag needs an argument: --" + name);
      }
      try {
        c.flags.put(name, o.coerce(value));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("invalid value \"" + value + "\" for flag --" + name + ": " + e.getMessage());
      }
    }
    return c;
  }

  boolean help() {
    return help;
  }

  boolean version() {
    return version;
  }

  boolean bool(String name) {
    return Boolean.TRUE.equals(flags.get(name));
  }

  String string(String name) {
    Object v = flags.get(name);
    return v == null ? null : v.toString();
  }

  void applyTo(Layers l) {
    for (Map.Entry<String, Object> e : flags.entrySet()) {
      Option o = OptionCatalog.get(e.getKey());
      if (o.toml() != null) {
        l.set(o, e.getValue(), "--" + e.getKey());
      }
    }
  }

  static String usage() {
    StringBuilder sb = new StringBuilder();
    sb.append("vxcable ").append(ConfigResolver.VERSION).append(" (anycable-go 1.6 compatible)\n\n");
    sb.append("Usage: anycable [flags]\n\nEvery flag can also be set with ANYCABLE_<FLAG> (upper case, - as _).\n");
    String section = null;
    List<Option> visible = new ArrayList<>();
    for (Option o : OptionCatalog.all()) {
      if (!o.hidden()) {
        visible.add(o);
      }
    }
    for (Option o : visible) {
      if (!o.section().equals(section)) {
        section = o.section();
        sb.append('\n').append(section.toUpperCase()).append(":\n");
      }
      String flag = "  --" + o.name() + (o.type() == Option.Type.BOOL ? "" : " value");
      sb.append(String.format("%-40s %s", flag, o.description()));
      String def = o.defaultText();
      if (!def.isEmpty() && !"false".equals(def)) {
        sb.append(" (default: ").append(def).append(')');
      }
      if (!o.supported()) {
        sb.append(" [planned: ").append(o.planned()).append(']');
      }
      sb.append('\n');
    }
    sb.append("\n  --help, -h                               Show this help\n");
    sb.append("  --version, -v                            Print the version\n");
    return sb.toString();
  }
}
