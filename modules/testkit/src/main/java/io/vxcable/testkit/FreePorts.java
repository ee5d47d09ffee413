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
 *
 * <p>Test JVMs that run side by side (failsafe's {@code forkCount}) each get a slice of that range
 * of their own: {@code -Dvxcable.ports.slice=<1..n> -Dvxcable.ports.slices=<n>}. Otherwise two forks
 * could choose the same port in the moment between the check and a server's bind.
 */
public final class FreePorts {

  /** Below the ephemeral range and above the usual service ports. */
  static final int LOW = 20_000;
  static final int HIGH = 32_000;

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  public static synchronized int next() {
    int[] range = range(System.getProperty("vxcable.ports.slice"), System.getProperty("vxcable.ports.slices"));
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = random.nextInt(range[0], range[1]);
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
    throw new IllegalStateException("no free port between " + range[0] + " and " + range[1] + " after 1000 attempts");
  }

  /**
   * The ports of the slice the system properties name: the whole range when no slices are set. With
   * slices, a missing or unreadable slice number is an error, not the first slice: forks sharing a
   * slice hand out the same ports.
   */
  static int[] range(String slice, String slices) {
    int count = slices == null || slices.isBlank() ? 1 : Integer.parseInt(slices.trim());
    if (count == 1) {
      return range(1, 1);
    }
    try {
      return range(Integer.parseInt(String.valueOf(slice).trim()), count);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("vxcable.ports.slices is " + count + " but vxcable.ports.slice is '" + slice
          + "': each test JVM needs its slice number (failsafe: -Dvxcable.ports.slice=${surefire.forkNumber} in argLine)");
    }
  }

  /** The ports [from, to) of slice {@code slice} (1-based) out of {@code slices} equal parts. */
  static int[] range(int slice, int slices) {
    if (slices < 1 || slice < 1 || slice > slices) {
      throw new IllegalArgumentException("port slice " + slice + " of " + slices);
    }
    int width = (HIGH - LOW) / slices;
    return new int[] {LOW + (slice - 1) * width, LOW + slice * width};
  }
}
