package io.vxcable.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for servers under test, never the same one twice in a JVM. They are taken
 * below Linux's ephemeral range (32768-60999 by default), so an outgoing connection of another
 * test cannot grab the port between the moment it is chosen and the moment a server binds it.
 */
public final class FreePorts {

  /** Below the ephemeral range and above the usual service ports. */
  static final int LOW = 20_000;
  static final int HIGH = 32_000;

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  public static synchronized int next() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = random.nextInt(LOW, HIGH);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        HANDED_OUT.add(port);
        return port;
      } catch (IOException taken) {
        // in use: try another one
      }
    }
    throw new IllegalStateException("no free port between " + LOW + " and " + HIGH + " after 1000 attempts");
  }
}
