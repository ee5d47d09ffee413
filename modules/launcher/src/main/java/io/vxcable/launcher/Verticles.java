package io.vxcable.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Short names of the deployable verticles, usable with {@code scripts/vertx run <name>}. */
public final class Verticles {

  private static final Map<String, String> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put("gateway", "io.vxcable.gateway.GatewayVerticle");
    NAMES.put("broadcast", "io.vxcable.broadcast.BroadcastVerticle");
    NAMES.put("bundle", BundleVerticle.class.getName());
  }

  /** Verticles the bundle deploys when its config names none: intakes first, then gateways. */
  public static final List<String> BUNDLE_DEFAULT = List.of("broadcast", "gateway");

  private Verticles() {}

  /** The class name for a short name; anything else is returned as is (a class name). */
  public static String className(String name) {
    return NAMES.getOrDefault(name, name);
  }

  public static Map<String, String> all() {
    return Map.copyOf(NAMES);
  }
}
