package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AnyCable Pro's binary formats against the packaged server: @anycable/core with the code of the
 * published msgpack and protobuf encoders (lib/encoders.mjs), next to JSON clients. Each test
 * starts its own server on free ports and runs one Node test file against it.
 */
class BinaryFormatsIT {

  static final String SECRET = "qwerty";

  @Test
  void binaryClientsSubscribeReceiveAndWhisperLikeJsonClients() {
    runWithBroadcastPort("binary_formats.test.mjs", "--public");
  }

  @Test
  void historyAndSessionRestoreOverTheExtendedBinaryProtocols() {
    runWithBroadcastPort("binary_broker.test.mjs", "--public", "--broker=memory");
  }

  private void runWithBroadcastPort(String file, String... flags) {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    List<String> all = new ArrayList<>(List.of(flags));
    all.add("--http_broadcast_port=" + broadcastPort);
    try (ServerProcess server = ServerProcess.start(port, all, Map.of())) {
      Map<String, String> env = NodeEnv.of(server, "http://127.0.0.1:" + broadcastPort + "/_broadcast", "", SECRET);
      NodeRunner.Result r = NodeRunner.run(file, env, Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(server.isAlive()).as("the server survived the test").isTrue();
    }
  }
}
