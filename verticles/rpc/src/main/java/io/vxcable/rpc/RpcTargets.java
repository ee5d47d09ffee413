package io.vxcable.rpc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vxcable.config.ConfigException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where gRPC calls go, from {@code --rpc_host}: {@code host:port} (one address), {@code
 * grpc-list://h1:p1,h2:p2} (a fixed list) or {@code dns:///host:port} (every address the name
 * resolves to, re-resolved periodically: client-side round robin). Picks addresses round-robin.
 * Owned by one event loop.
 */
final class RpcTargets {

  private final String spec;
  private final String dnsHost;
  private final int dnsPort;
  private List<SocketAddress> addresses;
  private int next;

  private RpcTargets(String spec, List<SocketAddress> addresses, String dnsHost, int dnsPort) {
    this.spec = spec;
    this.addresses = addresses;
    this.dnsHost = dnsHost;
    this.dnsPort = dnsPort;
  }

  static RpcTargets parse(String host) {
    if (host.startsWith("grpc-list://")) {
      List<SocketAddress> list = new ArrayList<>();
      for (String part : host.substring("grpc-list://".length()).split(",")) {
        if (!part.isBlank()) {
          list.add(address(part.trim(), host));
        }
      }
      if (list.isEmpty()) {
        throw new ConfigException("--rpc_host=" + host + " lists no address");
      }
      return new RpcTargets(host, List.copyOf(list), null, 0);
    }
    if (host.startsWith("dns:///")) {
      SocketAddress a = address(host.substring("dns:///".length()), host);
      return new RpcTargets(host, List.of(), a.host(), a.port());
    }
    return new RpcTargets(host, List.of(address(host, host)), null, 0);
  }

  private static SocketAddress address(String hostPort, String spec) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new ConfigException("--rpc_host=" + spec + ": expected host:port");
    }
    try {
      return SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)), hostPort.substring(0, colon));
    } catch (NumberFormatException e) {
      throw new ConfigException("--rpc_host=" + spec + ": bad port in " + hostPort);
    }
  }

  boolean needsResolution() {
    return dnsHost != null;
  }

  /** Resolves a {@code dns:///} name off the event loop; keeps the previous list when it fails. */
  Future<Void> resolve(Vertx vertx) {
    if (dnsHost == null) {
      return Future.succeededFuture();
    }
    return vertx.<List<SocketAddress>>executeBlocking(() -> {
      List<SocketAddress> found = new ArrayList<>();
      for (InetAddress a : InetAddress.getAllByName(dnsHost)) {
        found.add(SocketAddress.inetSocketAddress(dnsPort, a.getHostAddress()));
      }
      return found;
    }).onSuccess(found -> addresses = List.copyOf(found)).mapEmpty();
  }

  SocketAddress next() {
    List<SocketAddress> current = addresses;
    if (current.isEmpty()) {
      return null;
    }
    next = (next + 1) % current.size();
    return current.get(next);
  }

  List<SocketAddress> addresses() {
    return addresses;
  }

  @Override
  public String toString() {
    return spec;
  }
}
