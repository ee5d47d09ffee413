package io.vxcable.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --redis_sentinels} and {@code rediss://} with the TLS options, against real processes. */
class RedisSentinelAndTlsTest {

  Vertx vertx;
  final List<String> delivered = new CopyOnWriteArrayList<>();
  final List<Process> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    vertx.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress("chat/1"), m -> delivered.add(m.body().getMessage().toStringUtf8()))
        .completion().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    for (Process p : started) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  void deploy(JsonObject settings) throws Exception {
    settings.put("broadcast_adapter", "redis").put("redis_channel", "__anycable__").put("host", "127.0.0.1").put("broker", "");
    vertx.deployVerticle(new BroadcastVerticle(), new DeploymentOptions().setConfig(TestConfigs.resolved(settings)))
        .await(20, TimeUnit.SECONDS);
  }

  Process start(Path dir, String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve(cmd[0] + "-" + started.size() + ".log").toFile()).start();
    started.add(p);
    return p;
  }

  static void awaitPort(int port) throws Exception {
    Eventually.eventually(Duration.ofSeconds(20), Duration.ofMillis(50), () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 300);
        return null;
      }
    });
  }

  /** Runs redis-cli until PUBLISH reaches a subscriber and the message is delivered. */
  void publishUntilDelivered(List<String> redisCli, String data) throws Exception {
    List<String> cmd = new ArrayList<>(redisCli);
    cmd.addAll(List.of("PUBLISH", "__anycable__", "{\"stream\":\"chat/1\",\"data\":\"" + data + "\"}"));
    Eventually.eventually(Duration.ofSeconds(40), Duration.ofMillis(100), () -> {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(10, TimeUnit.SECONDS);
      assertThat(delivered).as("delivered").contains("\"" + data + "\"");
      return null;
    });
  }

  @Test
  void theMasterIsFoundThroughSentinels() throws Exception {
    try (RedisServer master = RedisServer.start()) {
      Path dir = Files.createTempDirectory("sentinel-");
      int sentinelPort = FreePorts.next();
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, "port " + sentinelPort + "\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 " + master.port()
          + " 1\nsentinel down-after-milliseconds mymaster 2000\n");
      start(dir, "redis-server", conf.toString(), "--sentinel");
      awaitPort(sentinelPort);
      deploy(new JsonObject().put("redis_url", "redis://mymaster").put("redis_sentinels", "127.0.0.1:" + sentinelPort));
      publishUntilDelivered(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(master.port())), "via sentinel");
    }
  }

  @Test
  void rediss_withTheCaOfTheServerAndVerification() throws Exception {
    Path dir = Files.createTempDirectory("redis-tls-");
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
        "-subj", "/CN=vxcable test CA");
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
        "server.crt", "-days", "1", "-extfile", "san.ext");
    int port = FreePorts.next();
    start(dir, "redis-server", "--port", "0", "--tls-port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--tls-cert-file", "server.crt", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.crt",
        "--tls-auth-clients", "no");
    awaitPort(port);
    deploy(new JsonObject().put("redis_url", "rediss://127.0.0.1:" + port).put("redis_tls_verify", true)
        .put("redis_tls_ca_cert_path", dir.resolve("ca.crt").toString()));
    publishUntilDelivered(List.of("redis-cli", "--tls", "--cacert", dir.resolve("ca.crt").toString(), "-h", "127.0.0.1",
        "-p", String.valueOf(port)), "over tls");
  }

  static void openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
