package io.vxcable.graphql;

import io.vxcable.config.Settings;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.spi.WireProtocol;
import java.util.List;

/**
 * Apollo GraphQL as a translator: {@code graphql-ws} clients (sub-protocol
 * {@code graphql-transport-ws}) and legacy {@code subscriptions-transport-ws} clients
 * (sub-protocol {@code graphql-ws}) connect to {@code --graphql_path} and run their operations
 * through the application's {@code --graphql_channel} ({@code GraphqlChannel}) and its
 * {@code --graphql_action} ({@code execute}). Mounted on the gateway's main port when
 * {@code --graphql_path} is set (it is in the server's jar), or served on a port of its own by
 * {@link GraphqlVerticle}.
 */
public final class GraphqlTranslator implements Translator {

  public static final String PATH_KEY = "graphql_path";
  public static final String CHANNEL_KEY = "graphql_channel";
  public static final String ACTION_KEY = "graphql_action";

  @Override
  public String name() {
    return "graphql";
  }

  /** {@code --graphql_path}; null when empty (not served). */
  @Override
  public String path(Settings settings) {
    String path = settings.has(PATH_KEY) ? settings.string(PATH_KEY) : "";
    return path == null || path.isEmpty() ? null : path;
  }

  /** The graphql-ws protocol, which also serves a client that offers no sub-protocol. */
  @Override
  public WireProtocol protocol(Settings settings) {
    return protocols(settings).get(0);
  }

  /** {@code graphql-transport-ws} first, then the legacy {@code graphql-ws}. */
  @Override
  public List<WireProtocol> protocols(Settings settings) {
    String channel = or(settings, CHANNEL_KEY, "GraphqlChannel");
    String action = or(settings, ACTION_KEY, "execute");
    String jwtParam = settings.has("jwt_secret") && !settings.string("jwt_secret").isEmpty()
        ? or(settings, "jwt_param", "jid") : null;
    return List.of(new GraphqlProtocol(GraphqlProtocol.Flavor.TRANSPORT_WS, channel, action, jwtParam),
        new GraphqlProtocol(GraphqlProtocol.Flavor.LEGACY, channel, action, jwtParam));
  }

  private static String or(Settings settings, String key, String fallback) {
    String v = settings.has(key) ? settings.string(key) : null;
    return v == null || v.isEmpty() ? fallback : v;
  }
}
