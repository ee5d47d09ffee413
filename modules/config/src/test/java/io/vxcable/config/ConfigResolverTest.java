package io.vxcable.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.vertx.core.json.JsonObject;
import io.vxcable.protocol.Hmac;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigResolverTest {

  @TempDir
  Path dir;

  Settings run(Map<String, String> env, String... args) {
    CliOutcome out = ConfigResolver.fromCommandLine(List.of(args), env, dir);
    assertThat(out.kind()).isEqualTo(CliOutcome.Kind.RUN);
    return out.settings();
  }

  Settings run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void defaultsAreAnycableGos() {
    Settings s = run();
    assertThat(s.string("host")).isEqualTo("localhost");
    assertThat(s.integer("port")).isEqualTo(8080);
    assertThat(s.list("path")).containsExactly("/cable");
    assertThat(s.string("health-path")).isEqualTo("/health");
    assertThat(s.integer("ping_interval")).isEqualTo(3);
    assertThat(s.integer("max_message_size")).isEqualTo(65536);
    assertThat(s.integer("ws_max_pending_size")).isEqualTo(1048576);
    assertThat(s.string("jwt_param")).isEqualTo("jid");
    assertThat(s.bool("streams_presence")).isTrue();
    assertThat(s.list("broadcast_adapter")).containsExactly("http");
    assertThat(s.integer("http_broadcast_port")).isEqualTo(8090);
    assertThat(s.string("http_broadcast_secret")).isEmpty();
    assertThat(s.string("node_id")).matches("[A-Za-z0-9_-]{6}");
  }

  @Test
  void flagsBeatEnvWhichBeatsTheFileWhichBeatsDefaults() throws Exception {
    Files.writeString(dir.resolve("anycable.toml"), "[server]\nport = 1111\nhost = \"file\"\n[app]\nping_interval = 7\n");
    Settings s = run(Map.of("ANYCABLE_PORT", "2222", "ANYCABLE_HOST", "env"), "--port=3333");
    assertThat(s.integer("port")).isEqualTo(3333);
    assertThat(s.string("host")).isEqualTo("env");
    assertThat(s.integer("ping_interval")).isEqualTo(7);
  }

  @Test
  void thePortAliasLosesToItsAnycableName() {
    assertThat(run(Map.of("PORT", "5000")).integer("port")).isEqualTo(5000);
    assertThat(run(Map.of("PORT", "5000", "ANYCABLE_PORT", "6000")).integer("port")).isEqualTo(6000);
  }

  @Test
  void flagsTakeEveryUrfaveForm() {
    Settings s = run("-port", "9000", "--host", "0.0.0.0", "--noauth", "--public_streams=false", "--path=/a,/b");
    assertThat(s.integer("port")).isEqualTo(9000);
    assertThat(s.string("host")).isEqualTo("0.0.0.0");
    assertThat(s.bool("noauth")).isTrue();
    assertThat(s.bool("public_streams")).isFalse();
    assertThat(s.list("path")).containsExactly("/a", "/b");
    assertThat(run("--max-conn=10").integer("max-conn")).isEqualTo(10);
    assertThat(run(Map.of("ANYCABLE_MAX_CONN", "11", "ANYCABLE_HEALTH_PATH", "/up")).string("health-path")).isEqualTo("/up");
  }

  @Test
  void unknownFlagsAndBadValuesFailClearly() {
    assertThatThrownBy(() -> run("--nope")).hasMessageContaining("unknown flag: --nope");
    assertThatThrownBy(() -> run("--port=abc")).hasMessageContaining("--port").hasMessageContaining("integer");
    assertThatThrownBy(() -> run("--noauth=maybe")).hasMessageContaining("--noauth");
    assertThatThrownBy(() -> run(Map.of("ANYCABLE_PORT", "x"))).hasMessageContaining("ANYCABLE_PORT");
    assertThatThrownBy(() -> run("--port")).hasMessageContaining("needs an argument");
    assertThatThrownBy(() -> run("serve")).hasMessageContaining("unexpected argument");
    assertThatThrownBy(() -> run("--log_level=loud")).hasMessageContaining("log level");
    assertThatThrownBy(() -> run("--path=cable")).hasMessageContaining("start with /");
    assertThatThrownBy(() -> run("--ssl_cert=a.pem")).hasMessageContaining("--ssl_key");
    assertThatThrownBy(() -> run("--port=70000")).hasMessageContaining("invalid port");
  }

  @Test
  void brokersAdaptersAndPubSubAreCheckedByName() {
    assertThat(run("--broker=nats").string("broker")).isEqualTo("nats");
    assertThat(run(Map.of("ANYCABLE_BROKER", "redis")).string("broker")).isEqualTo("redis");
    assertThatThrownBy(() -> run(Map.of("ANYCABLE_BROKER", "kafka"))).hasMessageContaining("ANYCABLE_BROKER=kafka is not a broker");
    assertThatThrownBy(() -> run("--pubsub=kafka")).hasMessageContaining("--pubsub=kafka is not a pub/sub adapter");
    assertThat(run("--broker=memory", "--history_limit=50").string("broker")).isEqualTo("memory");
    assertThat(run("--broker=hazelcast").string("broker")).isEqualTo("hazelcast");
    assertThat(run("--broadcast_adapter=http,redis").list("broadcast_adapter")).containsExactly("http", "redis");
    assertThat(run("--broadcast_adapter=http,redisx").list("broadcast_adapter")).containsExactly("http", "redisx");
    assertThat(run("--broadcast_adapter=redisx,nats").list("broadcast_adapter")).containsExactly("redisx", "nats");
    assertThatThrownBy(() -> run("--broadcast_adapter=kafka")).hasMessageContaining("unknown broadcast adapter: kafka");
    assertThat(run("--presets=broker").string("broker")).isEqualTo("memory");
    assertThat(run("--presets=broker").list("broadcast_adapter")).containsExactly("http");
    assertThat(run("--presets=broker", "--redis_url=redis://cache:6379").list("broadcast_adapter"))
        .containsExactly("http", "redisx", "redis");
    assertThat(run("--presets=broker", "--redis_url=redis://cache:6379", "--broadcast_adapter=http,redis").list("broadcast_adapter"))
        .containsExactly("http", "redis");
    assertThatThrownBy(() -> run("--presets=broker", "--embed_nats")).hasMessageContaining("--embed_nats is not available")
        .hasMessageContaining("Use --cluster");
    assertThat(run("--enats_cluster_name=x", "--enats_addr=nats://0.0.0.0:4222").string("broker")).isEmpty();
    // AnyCable Pro's defaults, given explicitly.
    assertThat(run("--netpoll_enabled=true", "--ocpp_granular_actions=true").bool("ocpp_granular_actions")).isTrue();
    // Features that landed are plain options now.
    assertThat(run("--sse", "--poll", "--ds").bool("sse")).isTrue();
    assertThat(run("--graphql_path=/graphql").string("graphql_channel")).isEqualTo("GraphqlChannel");
    // Defaults of planned options are fine, and so is repeating a default explicitly.
    assertThat(run("--rpc_tls_verify=true").bool("rpc_tls_verify")).isTrue();
    assertThat(run("--rpc_host=http://app:3000/_anycable").string("rpc_host")).isEqualTo("http://app:3000/_anycable");
  }

  @Test
  void theSecretDerivesKeysAndFallbacks() {
    Settings s = run("--secret=qwerty");
    assertThat(s.string("http_broadcast_secret")).isEqualTo("42923a28b760e667fc92f7c6123bb07a282822b329dd2ef48e7aee7830d98485");
    assertThat(s.string("http_rpc_secret")).isEqualTo("57c40610d142fe7d7999be4e23dfba4f42c3c542e1f278063e8e3b6a30b0c2bd");
    assertThat(s.string("api_secret")).isEqualTo("bdd0244b3664404d03b7d0c2f1b946dc4fc6c13fdcbfa2be62a4a28deb04d096");
    assertThat(s.string("jwt_secret")).isEqualTo("qwerty");
    assertThat(s.string("streams_secret")).isEqualTo("qwerty");
    assertThat(s.string("turbo_streams_secret")).isEqualTo("qwerty");
    assertThat(s.integer("http_broadcast_port")).isEqualTo(8080);
    Settings own = run("--secret=qwerty", "--streams_secret=streams", "--jwt_secret=none");
    assertThat(own.string("streams_secret")).isEqualTo("streams");
    assertThat(own.string("cable_ready_secret")).isEqualTo("streams");
    assertThat(own.string("jwt_secret")).isEmpty();
  }

  @Test
  void theBroadcastPortRuleFollowsTheKeyAndIsDecidedBeforePublic() {
    assertThat(run("--broadcast_key=k").integer("http_broadcast_port")).isEqualTo(8080);
    assertThat(run("--broadcast_key=k").string("http_broadcast_secret")).isEqualTo("k");
    assertThat(run("--secret=x", "--broadcast_key=none").integer("http_broadcast_port")).isEqualTo(8090);
    assertThat(run("--secret=x", "--broadcast_key=none").string("http_broadcast_secret")).isEmpty();
    Settings pub = run("--public", "--secret=x");
    assertThat(pub.integer("http_broadcast_port")).isEqualTo(8080);
    assertThat(pub.string("http_broadcast_secret")).isEmpty();
    assertThat(pub.bool("noauth")).isTrue();
    assertThat(pub.bool("public_streams")).isTrue();
    assertThat(run("--http_broadcast_port=9999", "--secret=x").integer("http_broadcast_port")).isEqualTo(9999);
    assertThat(run("--secret=none").string("http_broadcast_secret")).isEmpty();
  }

  @Test
  void deprecatedAliasesMapToTheirReplacements() {
    Settings s = run("--turbo_rails_key=t", "--cable_ready_key=c", "--jwt_id_key=j", "--jwt_id_enforce", "--debug",
        "--disable_disconnect");
    assertThat(s.bool("turbo_streams")).isTrue();
    assertThat(s.string("turbo_streams_secret")).isEqualTo("t");
    assertThat(s.bool("cable_ready")).isTrue();
    assertThat(s.string("cable_ready_secret")).isEqualTo("c");
    assertThat(s.string("jwt_secret")).isEqualTo("j");
    assertThat(s.bool("enforce_jwt")).isTrue();
    assertThat(s.string("log_level")).isEqualTo("debug");
    assertThat(s.string("disconnect_mode")).isEqualTo("never");
  }

  @Test
  void presetsAreDetectedFromTheEnvironmentAndOnlyTouchDefaults() {
    Map<String, String> fly = Map.of("FLY_APP_NAME", "a", "FLY_ALLOC_ID", "b", "FLY_REGION", "ams");
    assertThat(run(fly).string("host")).isEqualTo("0.0.0.0");
    assertThat(run(fly, "--host=127.0.0.1").string("host")).isEqualTo("127.0.0.1");
    assertThat(run(fly, "--presets=none").string("host")).isEqualTo("localhost");
    assertThat(run(Map.of("HEROKU_APP_ID", "a", "HEROKU_DYNO_ID", "b")).string("host")).isEqualTo("0.0.0.0");
  }

  @Test
  void theFlyPresetClustersOverPrivateDnsOrSharesThroughRedis() {
    Map<String, String> fly = Map.of("FLY_APP_NAME", "chat", "FLY_ALLOC_ID", "b", "FLY_REGION", "ams",
        "FLY_PRIVATE_IP", "fdaa:0:1::2");
    Settings s = run(fly);
    assertThat(s.bool("cluster")).isTrue();
    assertThat(s.string("cluster_dns")).isEqualTo("ams.chat.internal");
    assertThat(s.string("cluster_host")).isEqualTo("fdaa:0:1::2");
    assertThat(s.string("pubsub")).isEmpty();
    // With the broker preset, the cluster keeps its history in Hazelcast, whatever the order.
    assertThat(run(fly, "--presets=broker,fly").string("broker")).isEqualTo("hazelcast");
    // With Redis, Redis pub/sub instead of a cluster.
    Settings redis = run(fly, "--redis_url=redis://cache:6379");
    assertThat(redis.bool("cluster")).isFalse();
    assertThat(redis.string("pubsub")).isEqualTo("redis");
    assertThat(run(fly, "--pubsub=nats").bool("cluster")).isFalse();
  }

  @Test
  void redisPubSubTurnsOnByItselfAsInAnycableGo() {
    assertThat(run().string("pubsub")).isEmpty();
    assertThat(run("--redis_url=redis://cache:6379").string("pubsub")).isEqualTo("redis");
    assertThat(run(Map.of("REDIS_URL", "redis://cache:6379")).string("pubsub")).isEqualTo("redis");
    assertThat(run("--broadcast_adapter=http,redisx").string("pubsub")).isEqualTo("redis");
    assertThat(run("--broker=redis").string("pubsub")).isEqualTo("redis");
    assertThat(run("--broker=redis", "--pubsub=nats").string("pubsub")).isEqualTo("nats");
    assertThat(run("--redis_url=redis://cache:6379", "--pubsub=none").string("pubsub")).isEqualTo("none");
    assertThat(run("--presets=broker", "--redis_url=redis://cache:6379").string("pubsub")).isEqualTo("redis");
  }

  @Test
  void helpVersionAndPrintConfigAreOutcomes() {
    assertThat(ConfigResolver.fromCommandLine(List.of("--help"), Map.of(), dir).text()).contains("--port value");
    assertThat(ConfigResolver.fromCommandLine(List.of("-v"), Map.of(), dir).text()).contains("anycable-go 1.6");
    CliOutcome printed = ConfigResolver.fromCommandLine(List.of("--print-config", "--port=9001"), Map.of(), dir);
    assertThat(printed.kind()).isEqualTo(CliOutcome.Kind.PRINT_CONFIG);
    assertThat(printed.text()).contains("[server]").contains("port = 9001");
  }

  static java.util.stream.Stream<List<String>> printedConfigs() {
    return java.util.stream.Stream.of(
        List.of("--port=9001", "--secret=s", "--path=/a,/b", "--noauth", "--ping_interval=5", "--turbo_streams",
            "--allowed_origins=*.example.com", "--broadcast_key=k"),
        List.of("--secret=abc"),
        List.of("--secret=abc", "--jwt_secret=j", "--api_secret=none", "--http_rpc_secret=r", "--turbo_streams"),
        List.of("--secret=abc", "--turbo_rails_key=t", "--cable_ready_key=c", "--jwt_id_key=j"),
        List.of("--secret=abc", "--http_broadcast_secret=h", "--streams_secret=st"),
        List.of("--public", "--secret=x"),
        List.of("--secret=none", "--broadcast_key=none"));
  }

  @ParameterizedTest
  @MethodSource("printedConfigs")
  void printedConfigLoadsBackToTheSameSettings(List<String> args) throws Exception {
    List<String> withPrint = new java.util.ArrayList<>(args);
    withPrint.add("--print-config");
    CliOutcome printed = ConfigResolver.fromCommandLine(withPrint, Map.of(), dir);
    Path file = dir.resolve("printed.toml");
    Files.writeString(file, printed.text());
    Settings reloaded = run("--config-path=" + file);
    JsonObject a = printed.settings().toJson();
    JsonObject b = reloaded.toJson();
    a.remove("node_id");
    b.remove("node_id");
    assertThat(b).isEqualTo(a);
  }

  JsonNode printedToml(Map<String, String> env, String... args) throws Exception {
    List<String> withPrint = new java.util.ArrayList<>(List.of(args));
    withPrint.add("--print-config");
    return new TomlMapper().readTree(ConfigResolver.fromCommandLine(withPrint, env, dir).text());
  }

  @Test
  void printConfigNeverShowsAKeyDerivedFromTheSecret() throws Exception {
    CliOutcome printed = ConfigResolver.fromCommandLine(List.of("--secret=abc", "--ignore-config-path", "--print-config"),
        Map.of(), dir);
    String broadcast = Hmac.hexSha256("abc", "broadcast-cable");
    String rpc = Hmac.hexSha256("abc", "rpc-cable");
    String api = Hmac.hexSha256("abc", "api-cable");
    // The effective settings still hold the derived keys; only the printout leaves them out.
    assertThat(printed.settings().string("http_broadcast_secret")).isEqualTo(broadcast);
    assertThat(printed.settings().string("http_rpc_secret")).isEqualTo(rpc);
    assertThat(printed.settings().string("api_secret")).isEqualTo(api);
    assertThat(printed.settings().string("jwt_secret")).isEqualTo("abc");
    String text = printed.text();
    assertThat(text.substring(0, text.indexOf("\n["))).contains("\nsecret = \"abc\"\n");
    assertThat(text).doesNotContain(broadcast).doesNotContain(rpc).doesNotContain(api);
    assertThat(text.split("= \"abc\"", -1)).as("one copy of the secret").hasSize(2);
    JsonNode toml = new TomlMapper().readTree(text);
    for (String derived : List.of("/http_broadcast/secret", "/rpc/secret", "/api/secret", "/jwt/secret", "/streams/secret",
        "/streams/turbo_secret", "/streams/cable_ready_secret", "/broadcast_key")) {
      assertThat(toml.at(derived).asText()).as(derived).isEmpty();
    }
  }

  @Test
  void printConfigShowsEverySecretTheUserSetWhereverItCameFrom() throws Exception {
    Files.writeString(dir.resolve("secrets.toml"), "[api]\nsecret = \"from-file\"\n");
    JsonNode toml = printedToml(Map.of("ANYCABLE_JWT_SECRET", "from-env"), "--secret=abc", "--streams_secret=abc",
        "--broadcast_key=bk", "--turbo_rails_key=t", "--config-path=" + dir.resolve("secrets.toml"));
    assertThat(toml.at("/secret").asText()).isEqualTo("abc");
    assertThat(toml.at("/streams/secret").asText()).isEqualTo("abc");
    assertThat(toml.at("/broadcast_key").asText()).isEqualTo("bk");
    assertThat(toml.at("/streams/turbo_rails_key").asText()).isEqualTo("t");
    assertThat(toml.at("/jwt/secret").asText()).isEqualTo("from-env");
    assertThat(toml.at("/api/secret").asText()).isEqualTo("from-file");
    assertThat(toml.at("/http_broadcast/secret").asText()).isEmpty();
    assertThat(toml.at("/streams/turbo_secret").asText()).isEmpty();
    assertThat(toml.at("/streams/turbo").asBoolean()).isTrue();
  }

  @Test
  void keysAndSecretsAreSensitiveButFilePathsAreNot() {
    List<String> sensitive = OptionCatalog.all().stream().filter(Option::sensitive).map(Option::name).toList();
    assertThat(sensitive).contains("secret", "broadcast_key", "http_broadcast_secret", "http_rpc_secret", "jwt_secret",
        "jwt_id_key", "streams_secret", "turbo_streams_secret", "cable_ready_secret", "turbo_rails_key", "cable_ready_key",
        "api_secret", "pusher_secret");
    assertThat(sensitive).doesNotContain("ssl_key", "ssl_cert", "redis_tls_client_key_path", "redis_tls_client_cert_path",
        "jwt_param", "port");
  }

  @Test
  void ignoreConfigPathSkipsTheFileAndAMissingExplicitFileFails() throws Exception {
    Files.writeString(dir.resolve("anycable.toml"), "[server]\nport = 1111\n");
    assertThat(run().integer("port")).isEqualTo(1111);
    assertThat(run("--ignore-config-path").integer("port")).isEqualTo(8080);
    assertThatThrownBy(() -> run("--config-path=missing.toml")).hasMessageContaining("no such file");
  }

  @Test
  void aVerticleConfigIsTheFileLayerUnderTheEnvironment() {
    Settings s = Settings.fromVerticleConfig(new JsonObject().put("port", 7000).put("max-conn", 5).put("verticles", "x")
        .put("secret", "qwerty"), Map.of("ANYCABLE_PORT", "7001"));
    assertThat(s.integer("port")).isEqualTo(7001);
    assertThat(s.integer("max-conn")).isEqualTo(5);
    assertThat(s.string("verticles")).isEqualTo("x");
    assertThat(s.integer("http_broadcast_port")).isEqualTo(7001);
    assertThatThrownBy(() -> Settings.fromVerticleConfig(new JsonObject().put("broker", "kafka"), Map.of()))
        .hasMessageContaining("\"broker\" in the verticle config=kafka is not a broker");
  }

  @Test
  void anUnknownConfKeyIsReportedOnceAndDeploymentKeysNever() {
    java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler h = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        warnings.add(r.getMessage());
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(ConfigResolver.class.getName());
    log.addHandler(h);
    try {
      JsonObject conf = new JsonObject().put("prot", 9000).put("verticles", new io.vertx.core.json.JsonArray().add("gateway"))
          .put("instances", new JsonObject().put("gateway", 2)).put("port", 9001);
      Settings s = Settings.fromVerticleConfig(conf, Map.of());
      Settings.fromVerticleConfig(conf, Map.of());
      assertThat(s.integer("port")).isEqualTo(9001);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("\"prot\" is not an option of vxcable");
    } finally {
      log.removeHandler(h);
    }
  }

  @Test
  void aResolvedConfigIsUsedAsIs() {
    JsonObject resolved = run("--port=9100").toJson();
    Settings again = Settings.fromVerticleConfig(resolved, Map.of("ANYCABLE_PORT", "1"));
    assertThat(again.integer("port")).isEqualTo(9100);
  }
}
