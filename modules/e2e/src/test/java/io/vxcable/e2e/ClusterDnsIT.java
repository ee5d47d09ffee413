package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code --cluster_dns} (what the fly preset uses with Fly's private DNS): members are found as
 * the addresses of one DNS name, each tried on the cluster port. On loopback, {@code localhost}
 * names the first node; the second binds the next port, finds the first through the name and
 * joins it.
 */
class ClusterDnsIT {

  @Test
  void nodesFindEachOtherThroughADnsName() {
    String name = "dns-" + UUID.randomUUID();
    int clusterPort = FreePorts.next();
    int[] port = {FreePorts.next(), FreePorts.next()};
    try (ServerProcess a = ServerProcess.launch(command(name, clusterPort, port[0]), Map.of(), port[0]);
         ServerProcess b = ServerProcess.launch(command(name, clusterPort, port[1]), Map.of(), port[1])) {
      for (ServerProcess p : new ServerProcess[] {a, b}) {
        assertThat(p.awaitLog("2 broker node(s)", Duration.ofSeconds(60))).as(p.logTail()).isTrue();
      }
      assertThat(a.logContains("(DNS name localhost)")).as(a.logTail()).isTrue();
    }
  }

  private static List<String> command(String clusterName, int clusterPort, int port) {
    List<String> cmd = new ArrayList<>(ClusterProcesses.cli(clusterName, "", clusterPort, port, "--public",
        "--http_broadcast_port=" + FreePorts.next(), "--cluster_dns=localhost"));
    cmd.removeIf(arg -> arg.startsWith("--cluster_members="));
    return cmd;
  }
}
