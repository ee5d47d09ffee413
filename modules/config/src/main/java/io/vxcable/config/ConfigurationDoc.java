package io.vxcable.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates docs/configuration.md from the catalogue, so the page lists every option exactly as the
 * server parses it. Regenerate with
 * {@code mvn -q -o -pl modules/config test -Dvxcable.regenerateDocs=true}.
 */
public final class ConfigurationDoc {

  private ConfigurationDoc() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
    Files.writeString(out, render(), StandardCharsets.UTF_8);
  }

  public static String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        # Configuration

        <!-- Generated from io.vxcable.config.OptionCatalog by ConfigurationDoc: do not edit by hand. -->

        vxcable takes anycable-go's options, with anycable-go's names and defaults.

        ## Where values come from

        Highest priority last: **defaults < config file < environment < flags**.

        - **Flags**: `scripts/anycable --port=8081 --secret s3cr3t --noauth` (`--name value`,
          `--name=value`, one or two dashes; boolean flags take no value or `=true|false`).
        - **Environment**: `ANYCABLE_` + the flag name in upper case with `-` turned into `_`
          (`--max-conn` → `ANYCABLE_MAX_CONN`). Aliases: `PORT` for `--port` and `REDIS_URL` for
          `--redis_url`; the `ANYCABLE_` variable wins when both are set. Booleans: `true|false|1|0`.
        - **Config file** (TOML, anycable-go's `anycable.toml` format): `--config-path <file>`; without
          it `./anycable.toml`, then `/etc/anycable/anycable.toml`, are loaded when present;
          `--ignore-config-path` loads none. `--print-config` prints the effective configuration in
          that format (it can be saved as `anycable.toml` and loaded back). Keys and secrets appear
          only as they were set: a key derived from `--secret` is printed empty and derived again
          when the file is loaded.
        - **`vertx run` configs** (`conf/*.json`, `-conf`): the JSON keys are the flag names below
          (`{"port": 8080, "max-conn": 1000}`); it is the file layer, so `ANYCABLE_*` variables still
          override it. A config carrying `"resolved": true` (what the bundle and the CLI pass to their
          verticles) is used as is.

        ## Derived settings

        Applied after the layers, as anycable-go does: `--debug` sets `--log_level=debug`;
        `--disable_disconnect` sets `--disconnect_mode=never`; the deprecated `--turbo_rails_key`,
        `--cable_ready_key`, `--jwt_id_key`, `--jwt_id_enforce` map to their replacements; with
        `--secret`, an empty `--streams_secret`, `--jwt_secret` and `--pusher_secret` take the secret
        verbatim, the Turbo and CableReady secrets take the streams secret, and the HTTP broadcast key,
        the HTTP RPC secret and the API secret are derived as `hex(HMAC-SHA256(secret, phrase))` with
        the phrases `broadcast-cable`, `rpc-cable` and `api-cable`. The literal `none` disables a
        secret or key. `--http_broadcast_port=0` means the main port when a broadcast key exists and
        8090 otherwise — decided before `--public`, which then turns on `--noauth` and
        `--public_streams` and drops the broadcast key. Presets (`--presets`, or auto-detected from
        `FLY_*` / `HEROKU_*` variables) only change values still at their defaults, platform presets
        first: `broker` sets `--broker=memory` (`hazelcast` in a cluster) and, with a `--redis_url`
        set, the adapters `http,redisx,redis` and `--pubsub=redis`; `fly` listens on `0.0.0.0` and,
        without Redis, clusters the region's machines over Fly's private DNS (`--cluster`,
        `--cluster_dns=<region>.<app>.internal`, `--cluster_host=$FLY_PRIVATE_IP`) where anycable-go
        starts embedded NATS ([migrating.md](migrating.md)). As in anycable-go, `--pubsub` becomes
        `redis` when it is not given and `--redis_url` is set, the `redisx` adapter is on or
        `--broker=redis`.

        ## Differences from anycable-go

        - `--broadcast_adapter` defaults to `http` (anycable-go: `http,redis`, which exits when no
          Redis is reachable): the default server needs no external service.
        - `none` never becomes a key to derive from (anycable-go derives keys from the string "none").
        - `--embed_nats` is refused with a message pointing to `--cluster` (no NATS server runs in a
          JVM); the `--enats_*` options are accepted and ignored. Options of features that are not in
          this build are accepted and parsed, and setting one stops start-up with a message naming it
          (status "planned" below).

        """);
    String section = null;
    for (Option o : OptionCatalog.all()) {
      if (!o.section().equals(section)) {
        section = o.section();
        sb.append("\n## ").append(section).append("\n\n");
        sb.append("| flag | env | conf key | TOML | default | status | description |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
      }
      sb.append("| `--").append(o.name()).append('`');
      if (o.hidden()) {
        sb.append(" (hidden)");
      }
      if (o.deprecated()) {
        sb.append(" (deprecated)");
      }
      sb.append(" | ").append(o.envVars().isEmpty() ? "—" : String.join(", ", o.envVars().stream().map(v -> "`" + v + "`").toList()));
      sb.append(" | ").append(o.toml() == null ? "—" : "`" + o.name() + "`");
      sb.append(" | ").append(o.toml() == null ? "—" : "`" + o.toml() + "`");
      String def = o.defaultText();
      sb.append(" | ").append(def.isEmpty() ? "\"\"" : "`" + def + "`");
      sb.append(" | ").append(o.name().equals("embed_nats") ? "refused: use --cluster"
          : o.supported() ? "supported" : "planned: " + o.planned());
      sb.append(" | ").append(o.description().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }
}
