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
 * The Durable Streams read API of the packaged server ({@code --ds} with a memory broker), read by
 * the published {@code @durable-streams/client} and checked by the published conformance suite
 * ({@code @durable-streams/server-conformance-tests}) for the cases that apply to a read-only
 * server. Streams are written by broadcasting.
 */
class DurableStreamsIT {

  static final String SECRET = "qwerty";
  /** hex(HMAC-SHA256("qwerty", "broadcast-cable")), the key anycable-go derives. */
  static final String DERIVED_BROADCAST_KEY = "42923a28b760e667fc92f7c6123bb07a282822b329dd2ef48e7aee7830d98485";

  @Test
  void theOfficialClientReadsCatchUpLongPollAndSseWithJwtAndSignedStreams() {
    int port = FreePorts.next();
    run("durable_streams.test.mjs", port, DERIVED_BROADCAST_KEY, List.of("--secret=" + SECRET, "--norpc",
        "--public_streams", "--broker=memory", "--ds", "--ds_poll_interval=2"), Duration.ofSeconds(120));
  }

  @Test
  void theConformanceCasesForAReadOnlyServerPass() {
    int port = FreePorts.next();
    run("durable_streams_conformance.test.mjs", port, "", List.of("--public", "--http_broadcast_port=" + port,
        "--broker=memory", "--ds", "--ds_poll_interval=2"), Duration.ofSeconds(600));
  }

  private static void run(String file, int port, String key, List<String> flags, Duration timeout) {
    try (ServerProcess server = ServerProcess.start(port, flags, Map.of())) {
      Map<String, String> env = NodeEnv.of(server, "http://127.0.0.1:" + port + "/_broadcast", key, SECRET);
      NodeRunner.Result r = NodeRunner.run(file, env, timeout);
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(server.isAlive()).as("the server survived the test").isTrue();
    }
  }
}
