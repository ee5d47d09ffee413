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
 * AnyCable's conformance scenarios through the RPC bridge, once over gRPC and once over HTTP RPC,
 * with a Node application (@grpc/grpc-js, node:http) implementing anyt's channels.
 */
class RpcConformanceIT {

  @Test
  void conformanceOverGrpc() {
    run("grpc", port -> "127.0.0.1:" + port, List.of());
  }

  @Test
  void conformanceOverHttpRpc() {
    // The RPC secret is derived from --secret, as anycable-go derives it (hex HMAC "rpc-cable").
    run("http", port -> "http://127.0.0.1:" + port + "/_anycable",
        List.of("--secret=qwerty", "--jwt_secret=none", "--streams_secret=none", "--broadcast_key=none"));
  }

  @Test
  void presenceSetByTheApplication() {
    int port = FreePorts.next();
    int appPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--rpc_host=127.0.0.1:" + appPort, "--broker=memory",
        "--presence_ttl=2", "--http_broadcast_port=" + FreePorts.next()), Map.of())) {
      NodeRunner.Result r = NodeRunner.run("rpc_presence.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(port), "CABLE_URL", "ws://127.0.0.1:" + port + "/cable",
          "RPC_MODE", "grpc", "RPC_PORT", String.valueOf(appPort)), Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(r.output()).contains("pass 2").contains("fail 0");
    }
  }

  @Test
  void faultsBetweenTheServerAndTheApplication() {
    int port = FreePorts.next();
    int appPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--rpc_host=http://127.0.0.1:" + appPort,
        "--http_rpc_secret=right", "--rpc_command_timeout=1000", "--http_broadcast_port=" + FreePorts.next()), Map.of())) {
      NodeRunner.Result r = NodeRunner.run("rpc_faults.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(port), "CABLE_URL", "ws://127.0.0.1:" + port + "/cable",
          "RPC_PORT", String.valueOf(appPort)), Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(r.output()).contains("pass 4");
      assertThat(server.isAlive()).isTrue();
    }
  }

  @Test
  void shutdownFlushesPendingDisconnectCalls() {
    int port = FreePorts.next();
    int appPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--rpc_host=127.0.0.1:" + appPort,
        "--disconnect_mode=always", "--disconnect_rate=1", "--http_broadcast_port=" + FreePorts.next()), Map.of())) {
      NodeRunner.Result r = NodeRunner.run("rpc_shutdown.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(port), "CABLE_URL", "ws://127.0.0.1:" + port + "/cable",
          "RPC_PORT", String.valueOf(appPort), "SERVER_PID", String.valueOf(server.pid())), Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
    }
  }

  private void run(String mode, java.util.function.IntFunction<String> host, List<String> extra) {
    int port = FreePorts.next();
    int appPort = FreePorts.next();
    int broadcastPort = FreePorts.next();
    List<String> flags = new java.util.ArrayList<>(List.of("--rpc_host=" + host.apply(appPort),
        "--headers=cookie,x-api-token", "--http_broadcast_port=" + broadcastPort));
    flags.addAll(extra);
    try (ServerProcess server = ServerProcess.start(port, flags, Map.of())) {
      NodeRunner.Result r = NodeRunner.run("conformance.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(port),
          "CABLE_URL", "ws://127.0.0.1:" + port + "/cable",
          "BROADCAST_URL", "http://127.0.0.1:" + broadcastPort + "/_broadcast",
          "RPC_MODE", mode,
          "RPC_PORT", String.valueOf(appPort),
          "RPC_SECRET", mode.equals("http") ? "57c40610d142fe7d7999be4e23dfba4f42c3c542e1f278063e8e3b6a30b0c2bd" : ""),
          Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(r.output()).as("every scenario ran").contains("pass 18").contains("fail 0");
    }
  }
}
