package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Long polling on the packaged server ({@code --poll --broker=memory --public}), driven by a client
 * written with plain {@code fetch} against the documented protocol ({@code long_polling.test.mjs}):
 * the poll ID flow, a client pausing between polls while broadcasts are posted, a stopped client's
 * session expiring and being restored by its sid, CORS and the limits.
 */
class LongPollingIT {

  @Test
  void aClientWrittenAgainstTheDocumentedProtocolMissesNothingAndExpires() {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--poll", "--broker=memory", "--public",
        "--http_broadcast_port=" + broadcastPort), Map.of())) {
      assertThat(server.awaitLog("Handle long polling requests at http://127.0.0.1:" + port + "/lp", Duration.ofSeconds(10)))
          .as(server.logTail()).isTrue();
      Map<String, String> env = NodeEnv.of(server, "http://127.0.0.1:" + broadcastPort + "/_broadcast", "", "");
      NodeRunner.Result r = NodeRunner.run("long_polling.test.mjs", env, Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(server.isAlive()).as("the server survived the test").isTrue();
    }
  }
}
