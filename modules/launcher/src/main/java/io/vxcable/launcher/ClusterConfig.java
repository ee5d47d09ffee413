package io.vxcable.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;

/**
 * The Hazelcast configuration of a clustered process: {@code -Dvertx.hazelcast.config=<file>}, else
 * the bundled {@code conf/cluster.xml} (TCP/IP join on loopback), then the cluster options that are
 * set: name, members, first port and interface. Empty options keep the XML's values, so a custom
 * XML file is never overridden by defaults.
 *
 * @param name {@code --cluster_name}; empty = the XML's
 * @param members {@code --cluster_members} ({@code host}, {@code host:port} or {@code host:port-port});
 *     empty = the XML's
 * @param port {@code --cluster_port}; 0 = the XML's
 * @param host {@code --cluster_host}, the interface to bind and announce; empty = the XML's
 * @param dns {@code --cluster_dns}: a name whose addresses (A and AAAA, resolved at start) are the
 *     members, each tried on the cluster's ports; replaces the member list; empty = none
 */
public record ClusterConfig(String name, List<String> members, int port, String host, String dns) {

  public ClusterConfig(String name, List<String> members, int port, String host) {
    this(name, members, port, host, "");
  }

  public ClusterConfig {
    dns = dns == null ? "" : dns.trim();
    name = name == null ? "" : name.trim();
    members = members == null ? List.of() : members.stream().map(String::trim).filter(m -> !m.isEmpty())
        .flatMap(m -> expand(m).stream()).toList();
    host = host == null ? "" : host.trim();
  }

  /**
   * {@code host:first-last} as one member per port (Hazelcast takes IP ranges, not port ranges);
   * anything else as it is.
   */
  static List<String> expand(String member) {
    int colon = member.lastIndexOf(':');
    int dash = member.indexOf('-', colon + 1);
    if (colon < 0 || dash < 0) {
      return List.of(member);
    }
    try {
      int first = Integer.parseInt(member.substring(colon + 1, dash));
      int last = Integer.parseInt(member.substring(dash + 1));
      if (first > last || last - first > 100) {
        return List.of(member);
      }
      String host = member.substring(0, colon);
      return java.util.stream.IntStream.rangeClosed(first, last).mapToObj(p -> host + ":" + p).toList();
    } catch (NumberFormatException notARange) {
      return List.of(member);
    }
  }

  /** From {@code ANYCABLE_CLUSTER_NAME}, {@code _MEMBERS}, {@code _PORT}, {@code _HOST} ({@code scripts/vertx run -cluster}). */
  static ClusterConfig fromEnv(Map<String, String> env) {
    String port = env.getOrDefault("ANYCABLE_CLUSTER_PORT", "").trim();
    return new ClusterConfig(env.get("ANYCABLE_CLUSTER_NAME"),
        List.of(env.getOrDefault("ANYCABLE_CLUSTER_MEMBERS", "").split(",")),
        port.isEmpty() ? 0 : Integer.parseInt(port), env.get("ANYCABLE_CLUSTER_HOST"), env.get("ANYCABLE_CLUSTER_DNS"));
  }

  /** The XML configuration with the options applied. */
  public Config hazelcast() {
    Config config = ConfigUtil.loadConfig();
    if (!name.isEmpty()) {
      config.setClusterName(name);
    }
    NetworkConfig network = config.getNetworkConfig();
    if (port > 0) {
      network.setPort(port);
    }
    if (!host.isEmpty()) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
      if (host.contains(":")) {
        // An IPv6 interface (Fly's 6PN): Hazelcast prefers IPv4 unless told otherwise.
        config.setProperty("hazelcast.prefer.ipv4.stack", "false");
      }
    }
    if (!dns.isEmpty()) {
      // Every address of the name, each tried on the cluster's ports (a machine that starts later
      // finds this one the same way, and the cluster tells everyone).
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(resolve(dns));
    } else if (!members.isEmpty()) {
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
    }
    return config;
  }

  /** The addresses of a DNS name (A and AAAA), or none when it does not resolve (yet): a cluster of one. */
  static List<String> resolve(String dns) {
    try {
      return java.util.Arrays.stream(java.net.InetAddress.getAllByName(dns)).map(java.net.InetAddress::getHostAddress)
          .distinct().toList();
    } catch (java.net.UnknownHostException none) {
      return List.of();
    }
  }

  public HazelcastClusterManager clusterManager() {
    return new HazelcastClusterManager(hazelcast());
  }

  /** One line for the log: what this process joins. */
  String describe(Config config) {
    return "cluster " + config.getClusterName() + ", members " + config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()
        + (dns.isEmpty() ? "" : " (DNS name " + dns + ")")
        + ", port " + config.getNetworkConfig().getPort() + (config.getNetworkConfig().getInterfaces().isEnabled()
        ? ", interface " + config.getNetworkConfig().getInterfaces().getInterfaces() : "");
  }
}
