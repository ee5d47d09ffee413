package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What of {@code deploy/} can run on this machine (docs/deployment.md): the systemd unit passes
 * {@code systemd-analyze verify} and its command line starts the unpacked distribution; the
 * Kubernetes Hazelcast configuration is accepted by Hazelcast and a clustered node starts with it
 * when the service name resolves (to loopback here). Neither Docker nor Kubernetes runs here.
 */
class DeploymentAssetsIT {

  private static final Path DEPLOY = Path.of(System.getProperty("vxcable.deploy", "../../deploy"));

  @TempDir
  Path dir;

  @Test
  void theSystemdUnitVerifiesAndItsCommandLineStartsTheServer() throws Exception {
    Path home = Distribution.unpack(dir);
    // The unit as installed under the unpacked tarball, run by the current user.
    String unit = Files.readString(DEPLOY.resolve("systemd/vxcable.service")).replace("/opt/vxcable", home.toString()).lines()
        .filter(l -> !l.startsWith("User=") && !l.startsWith("Group=")).collect(Collectors.joining("\n", "", "\n"));
    Path file = Files.writeString(dir.resolve("vxcable.service"), unit);
    Process verify = new ProcessBuilder("systemd-analyze", "verify", file.toString()).redirectErrorStream(true).start();
    String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(verify.exitValue()).as(said).isZero();
    assertThat(said).as("what systemd-analyze says about the unit").doesNotContain("vxcable.service:");

    String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
    int port = FreePorts.next();
    List<String> cmd = Distribution.env("ANYCABLE_HOST=127.0.0.1", "ANYCABLE_PORT=" + port,
        "ANYCABLE_HTTP_BROADCAST_PORT=" + FreePorts.next(), "ANYCABLE_PUBLIC=true");
    cmd.addAll(Arrays.asList(execStart.split(" ")));
    try (ServerProcess server = ServerProcess.launch(cmd, Map.of(), port)) {
      assertThat(server.awaitLog("gateway listening on ws://127.0.0.1:" + port, Duration.ofSeconds(10))).as(server.logTail()).isTrue();
    }
  }

  @Test
  void theKubernetesHazelcastConfigurationStartsAClusteredNode() throws Exception {
    Path home = Distribution.unpack(dir);
    int hazelcastPort = FreePorts.next();
    // Its own cluster name and port: no other test's member can answer it.
    String clusterName = "deploy-k8s-" + hazelcastPort;
    String xml = Files.readString(DEPLOY.resolve("kubernetes/cluster-kubernetes.xml"))
        .replace("vxcable-hazelcast.default.svc.cluster.local", "localhost")
        .replace("<cluster-name>vxcable</cluster-name>", "<cluster-name>" + clusterName + "</cluster-name>")
        .replace(">5701<", ">" + hazelcastPort + "<");
    assertThat(xml).contains("<service-dns>localhost</service-dns>").contains("<service-port>" + hazelcastPort + "</service-port>")
        .contains(">" + hazelcastPort + "</port>").contains(clusterName);
    Path config = Files.writeString(dir.resolve("cluster.xml"), xml);
    int port = FreePorts.next();
    List<String> cmd = Distribution.env("JAVA_OPTS=-Dvertx.hazelcast.config=" + config);
    cmd.addAll(List.of("sh", home.resolve("bin/anycable").toString(), "--public", "--cluster",
        "--cluster_host=127.0.0.1", "--host=127.0.0.1", "--port=" + port, "--http_broadcast_port=" + FreePorts.next()));
    try (ServerProcess node = ServerProcess.launch(cmd, Map.of(), port)) {
      assertThat(node.awaitLog("Joining the Hazelcast cluster " + clusterName, Duration.ofSeconds(10))).as(node.logTail()).isTrue();
      // Hazelcast's CP warning is kept out of the log (vxcable uses no CP structure; docs/cluster.md).
      assertThat(node.logContains("CP Subsystem is not enabled")).as(node.logTail()).isFalse();
    }
  }
}
