package io.vxcable.testkit;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Private Hazelcast clusters on loopback for tests: own name, own free ports, no multicast. */
public final class HazelcastClusters {

  static {
    // As the launchers do: on two cores Hazelcast would start a thread per future callback.
    System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
  }

  private HazelcastClusters() {}

  /** Member configurations for {@code n} members of one new cluster. */
  public static List<Config> configs(int n) {
    String name = "vxcable-broker-test-" + UUID.randomUUID();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports.add(FreePorts.next());
    }
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    List<Config> out = new ArrayList<>();
    for (int port : ports) {
      Config c = new Config();
      c.setClusterName(name);
      c.setProperty("hazelcast.phone.home.enabled", "false");
      c.setProperty("hazelcast.wait.seconds.before.join", "0");
      c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
      c.setProperty("hazelcast.logging.type", "none");
      c.setProperty("hazelcast.socket.bind.any", "false");
      // A member that vanishes is declared dead quickly (the default waits a minute).
      c.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
      c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
      c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
      c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
      JoinConfig join = c.getNetworkConfig().getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
      c.getMultiMapConfig("__vertx.subs").setBackupCount(1);
      out.add(c);
    }
    return out;
  }

  /** A clustered Vert.x node joined with {@code config}. */
  public static Vertx node(Config config) throws Exception {
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(new HazelcastClusterManager(config))
        .buildClustered()
        .await(60, TimeUnit.SECONDS);
  }
}
