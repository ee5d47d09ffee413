package io.vxcable.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Resolves the configuration the way anycable-go does: defaults &lt; TOML file &lt; {@code ANYCABLE_*}
 * env &lt; flags, then presets, the supported-feature check, derived settings and validation.
 */
public final class ConfigResolver {

  private static final Logger LOG = Logger.getLogger(ConfigResolver.class.getName());
  public static final String VERSION = "0.1.0";
  /** Keys of a {@code -conf} JSON that are not options: the bundle's list of verticles and their counts. */
  static final java.util.Set<String> DEPLOYMENT_KEYS = java.util.Set.of("verticles", "instances");
  /** Unknown keys already reported in this JVM (every verticle resolves the same JSON). */
  private static final java.util.Set<String> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ConfigResolver() {}

  /** The settings of a verticle from its {@code -conf} JSON (the file layer) and the environment. */
  static Settings resolveVerticleConfig(JsonObject config, Map<String, String> env) {
    Layers l = Layers.defaults();
    JsonObject extras = new JsonObject();
    for (Map.Entry<String, Object> e : config) {
      Option o = OptionCatalog.get(e.getKey());
      if (o == null || o.toml() == null) {
        if (OptionCatalog.get(e.getKey().replace('_', '-')) != null || OptionCatalog.get(e.getKey().replace('-', '_')) != null) {
          LOG.warning(() -> "config key \"" + e.getKey() + "\" is spelled differently from the flag; it is ignored");
        } else if (o == null && !DEPLOYMENT_KEYS.contains(e.getKey()) && REPORTED.add(e.getKey())) {
          LOG.warning(() -> "config key \"" + e.getKey() + "\" is not an option of vxcable (see docs/configuration.md); "
              + "it is ignored unless a verticle of your own reads it");
        }
        extras.put(e.getKey(), e.getValue());
      } else {
        l.set(o, e.getValue(), "\"" + e.getKey() + "\" in the verticle config");
      }
    }
    applyEnv(l, env);
    Derivation.apply(l, env);
    return Settings.of(extras.mergeIn(l.values));
  }

  /** Parses an {@code anycable-go}-style command line. */
  public static CliOutcome fromCommandLine(List<String> args, Map<String, String> env, Path workingDir) {
    CommandLine cli = CommandLine.parse(args);
    if (cli.help()) {
      return new CliOutcome(CliOutcome.Kind.HELP, null, CommandLine.usage());
    }
    if (cli.version()) {
      return new CliOutcome(CliOutcome.Kind.VERSION, null, "vxcable " + VERSION + " (anycable-go 1.6 compatible)");
    }
    Layers l = Layers.defaults();
    if (!cli.bool("ignore-config-path")) {
      Path file = configFile(cli, workingDir);
      if (file != null) {
        TomlConfig.read(file, l);
      }
    }
    applyEnv(l, env);
    cli.applyTo(l);
    JsonObject layered = l.values.copy();
    Derivation.apply(l, env);
    Settings settings = Settings.of(l.values);
    if (cli.bool("print-config")) {
      return new CliOutcome(CliOutcome.Kind.PRINT_CONFIG, settings, TomlConfig.write(l.values, layered));
    }
    return new CliOutcome(CliOutcome.Kind.RUN, settings, "");
  }

  private static Path configFile(CommandLine cli, Path workingDir) {
    String explicit = cli.string("config-path");
    if (explicit != null && !explicit.isEmpty()) {
      Path p = workingDir.resolve(explicit);
      if (!Files.isRegularFile(p)) {
        throw new ConfigException("--config-path: no such file: " + p);
      }
      return p;
    }
    Path local = workingDir.resolve("anycable.toml");
    if (Files.isRegularFile(local)) {
      return local;
    }
    Path system = Path.of("/etc/anycable/anycable.toml");
    return Files.isRegularFile(system) ? system : null;
  }

  private static void applyEnv(Layers l, Map<String, String> env) {
    for (Option o : OptionCatalog.all()) {
      for (String var : o.envVars()) {
        String v = env.get(var);
        if (v != null) {
          l.set(o, v, var);
          break;
        }
      }
    }
  }
}
