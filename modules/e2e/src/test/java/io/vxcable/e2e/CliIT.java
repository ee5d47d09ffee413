package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged CLI as a user meets it: exit codes and messages, before any server starts. */
class CliIT {

  record Run(int exitCode, String output) {}

  static Run cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.add("-jar");
    cmd.add(ServerProcess.jar().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ANYCABLE_") || k.equals("PORT"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  /**
   * The README's start command runs the JVM with the memory defaults of scripts/jvm-defaults.sh
   * (the JVM accepted them: it reports them back) and Netty's native epoll transport; JAVA_OPTS
   * still overrides them, and turns the native transport off.
   */
  @Test
  void theLauncherScriptGivesTheJvmItsMemoryDefaultsAndJavaOptsOverridesThem() throws Exception {
    java.nio.file.Path script = java.nio.file.Path.of(System.getProperty("vxcable.scripts", "../../scripts"), "anycable");
    String path = java.nio.file.Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator + System.getenv("PATH");
    for (String opts : List.of("", "-XX:MaxHeapFreeRatio=30 -Dvxcable.native_transport=false")) {
      int port = io.vxcable.testkit.FreePorts.next();
      try (ServerProcess server = ServerProcess.launch(List.of("sh", script.toString(), "--public", "--host=127.0.0.1",
          "--port=" + port, "--http_broadcast_port=" + io.vxcable.testkit.FreePorts.next()),
          Map.of("JAVA_OPTS", opts, "PATH", path), port)) {
        String flags = jcmd(server.pid(), "VM.flags");
        assertThat(flags).contains("-XX:MaxHeapFreeRatio=" + (opts.isEmpty() ? "10" : "30"))
            .contains("-XX:MinHeapFreeRatio=5").contains("-XX:+ExitOnOutOfMemoryError").contains("-XX:G1HeapRegionSize=1048576");
        assertThat(server.awaitLog(opts.isEmpty() ? "Network transport: native epoll"
            : "Network transport: NIO (-Dvxcable.native_transport=false)", Duration.ofSeconds(10))).as(server.logTail()).isTrue();
        String environ = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(server.pid()), "environ"));
        assertThat(List.of(environ.split("\0"))).contains("MALLOC_ARENA_MAX=2");
      }
    }
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void anUnknownFlagFailsFastWithItsName() throws Exception {
    Run r = cli(Map.of(), "--no_such_flag=1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("unknown flag: --no_such_flag");
  }

  @Test
  void aBadValueFailsFastNamingTheFlagOrVariable() throws Exception {
    assertThat(cli(Map.of(), "--port=http").output()).contains("--port");
    Run env = cli(Map.of("ANYCABLE_PING_INTERVAL", "often"));
    assertThat(env.exitCode()).isEqualTo(1);
    assertThat(env.output()).contains("ANYCABLE_PING_INTERVAL");
  }

  @Test
  void aRefusedFeatureIsNamedWithWhatToUseInstead() throws Exception {
    Run r = cli(Map.of(), "--broker=kafka");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("--broker=kafka is not a broker (expected memory, hazelcast, redis, nats or none)");
    Run nats = cli(Map.of("ANYCABLE_EMBED_NATS", "true"));
    assertThat(nats.exitCode()).isEqualTo(1);
    assertThat(nats.output()).contains("ANYCABLE_EMBED_NATS is not available").contains("Use --cluster");
  }

  /** A port another process holds: the port, what would listen there and the flag to change; no shutdown noise. */
  @Test
  void aTakenPortIsNamedWithTheFlagThatMovesIt() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Run r = cli(Map.of(), "--public", "--host=127.0.0.1", "--port=" + port, "--http_broadcast_port=" + io.vxcable.testkit.FreePorts.next());
      assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
      assertThat(r.output()).contains("Error: failed to start: cannot listen on 127.0.0.1:" + port
          + " for WebSocket clients: the address is already in use (another process listens there; choose another with --port)");
      assertThat(r.output()).doesNotContain("Shutdown did not finish").doesNotContain("RejectedExecutionException");
    }
  }

  @Test
  void printConfigShowsTheEffectiveTomlWithEnvAndFlagsApplied() throws Exception {
    Run r = cli(Map.of("PORT", "9123", "ANYCABLE_SECRET", "qwerty"), "--print-config", "--ping_interval=7");
    assertThat(r.exitCode()).isZero();
    assertThat(r.output()).contains("[server]").contains("port = 9123").contains("ping_interval = 7")
        .contains("secret = \"qwerty\"")
        // the broadcast key derived from the secret is not printed: it is derived again on load
        .doesNotContain("42923a28b760e667fc92f7c6123bb07a282822b329dd2ef48e7aee7830d98485");
  }

  @Test
  void helpAndVersion() throws Exception {
    assertThat(cli(Map.of(), "--help").output()).contains("--broadcast_adapter").contains("ANYCABLE_");
    assertThat(cli(Map.of(), "-v").output()).contains("anycable-go 1.6 compatible");
  }
}
