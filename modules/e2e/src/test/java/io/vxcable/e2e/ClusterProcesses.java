package io.vxcable.e2e;

import io.vxcable.testkit.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Command lines for cluster members on loopback: the drop-in CLI and {@code vertx run}. */
final class ClusterProcesses {

  /** What Hazelcast wants on Java 17 (the launch scripts pass the same). */
  static final String OPENS = "--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED "
      + "--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED "
      + "--add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED";

  private ClusterProcesses() {}

  /** The environment of {@code vertx run -cluster}: the {@code ANYCABLE_CLUSTER_*} variables. */
  static Map<String, String> clusterEnv(String name, String members, int port) {
    return Map.of("ANYCABLE_CLUSTER_NAME", name, "ANYCABLE_CLUSTER_MEMBERS", members,
        "ANYCABLE_CLUSTER_PORT", String.valueOf(port), "ANYCABLE_CLUSTER_HOST", "127.0.0.1");
  }

  /** The drop-in CLI as a cluster member, with {@code --broker=hazelcast} and more flags. */
  static List<String> cli(String clusterName, String members, int clusterPort, int port, String... flags) {
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.addAll(List.of(OPENS.split(" ")));
    cmd.addAll(List.of("-jar", ServerProcess.jar().toString(), "--host=127.0.0.1", "--port=" + port,
        "--broker=hazelcast", "--cluster_name=" + clusterName, "--cluster_members=" + members,
        "--cluster_port=" + clusterPort, "--cluster_host=127.0.0.1"));
    cmd.addAll(List.of(flags));
    return cmd;
  }

  /** {@code vertx run <verticle> -conf <json> -cluster} (the cluster XML, or the env's settings). */
  static List<String> vertxRun(Path clusterXml, String verticle, String conf, String... more) {
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.addAll(List.of(OPENS.split(" ")));
    if (clusterXml != null) {
      cmd.add("-Dvertx.hazelcast.config=" + clusterXml);
    }
    cmd.addAll(List.of("-cp", ServerProcess.jar().toString(), "io.vxcable.launcher.VertxLauncher",
        "run", verticle, "-conf", conf, "-cluster", "-cluster-host", "127.0.0.1"));
    cmd.addAll(List.of(more));
    return cmd;
  }
}
