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
    NAMES.put("rpc", "io.vxcable.rpc.RpcVerticle");
    NAMES.put("broker", "io.vxcable.broker.BrokerVerticle");
    NAMES.put("presence", "io.vxcable.presence.PresenceVerticle");
    NAMES.put("pubsub", "io.vxcable.pubsub.PubSubVerticle");
    NAMES.put("ocpp", "io.vxcable.ocpp.OcppVerticle");
    NAMES.put("graphql", "io.vxcable.graphql.GraphqlVerticle");
    NAMES.put("pusher", "io.vxcable.pusher.PusherVerticle");
    NAMES.put("bundle", BundleVerticle.class.getName());
  }

  /**
   * Verticles the bundle deploys when its config names none: the RPC bridge and the intake first,
   * gateways last (and stopped first, so their Disconnect calls still find the bridge).
   */
  public static final List<String> BUNDLE_DEFAULT = List.of("rpc", "broker", "presence", "pubsub", "broadcast", "gateway");

  private Verticles() {}

  /** The class name for a short name; anything else is returned as is (a class name). */
  public static String className(String name) {
    return NAMES.getOrDefault(name, name);
  }

  public static Map<String, String> all() {
    return Map.copyOf(NAMES);
  }
}
