package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball {@code mvn package} leaves in {@code modules/launcher/target}, as a user deploys it:
 * unpacked elsewhere and started with nothing but a JRE on the PATH and an empty environment.
 */
class DistributionIT {

  @TempDir
  Path dir;

  @Test
  void theTarballHoldsTheScriptsTheJarAndTheConfigs() throws Exception {
    Path home = Distribution.unpack(dir);
    assertThat(home.getFileName().toString()).startsWith("vxcable-");
    assertThat(home.resolve("lib/vxcable.jar")).isRegularFile();
    assertThat(home.resolve("bin/anycable")).isExecutable();
    assertThat(home.resolve("bin/vertx")).isExecutable();
    assertThat(home.resolve("bin/jvm-defaults.sh")).isRegularFile();
    assertThat(home.resolve("conf/bundle.json")).isRegularFile();
    assertThat(home.resolve("LICENSE")).isRegularFile();
    assertThat(home.resolve("conf/cluster.xml")).isRegularFile();
  }

  @Test
  void binAnycableStartsFromTheUnpackedTarballWithAnEmptyEnvironment() throws Exception {
    Path home = Distribution.unpack(dir);
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.launch(Distribution.clean(home.resolve("bin/anycable"), "--public", "--host=127.0.0.1",
        "--port=" + port, "--http_broadcast_port=" + broadcastPort), Map.of(), port)) {
      String cmdline = Files.readString(Path.of("/proc", String.valueOf(server.pid()), "cmdline")).replace('\0', ' ');
      assertThat(cmdline).contains(home.resolve("lib/vxcable.jar").toString()).contains("-XX:MaxHeapFreeRatio=10");
      HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + broadcastPort + "/_broadcast"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":\"s\",\"data\":\"{}\"}", StandardCharsets.UTF_8))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(published.statusCode()).isEqualTo(201);
    }
  }

  @Test
  void binVertxRunsOneVerticleFromTheUnpackedTarball() throws Exception {
    Path home = Distribution.unpack(dir);
    int port = FreePorts.next();
    try (ServerProcess gateway = ServerProcess.launch(Distribution.clean(home.resolve("bin/vertx"), "run", "gateway", "-conf",
        "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"public\":true}"), Map.of(), port)) {
      assertThat(gateway.awaitLog("gateway listening on ws://127.0.0.1:" + port, Duration.ofSeconds(10))).as(gateway.logTail()).isTrue();
    }
  }
}
