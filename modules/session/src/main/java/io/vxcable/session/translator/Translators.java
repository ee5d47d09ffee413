package io.vxcable.session.translator;

import io.vxcable.http.Routes;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.spi.TranslatorContext;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.websocket.WebSocketEndpoint;
import io.vxcable.session.websocket.WebSocketOptions;
import io.vxcable.session.wire.WireProtocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/** Finding translators on the class path, and serving one on a route table. */
public final class Translators {

  private static final Logger LOG = Logger.getLogger(Translators.class.getName());

  private Translators() {}

  /** Every translator listed in {@code META-INF/services/io.vxcable.session.spi.Translator}. */
  public static List<Translator> discover() {
    List<Translator> found = new ArrayList<>();
    for (Translator t : ServiceLoader.load(Translator.class)) {
      found.add(t);
    }
    return found;
  }

  /** The named protocols are offered, the first serves a client that offers none of them. */
  static WireProtocols protocols(List<WireProtocol> protocols) {
    return new WireProtocols(protocols.stream().filter(p -> p.name() != null).toList(), protocols.get(0));
  }

  /**
   * Adds a translator's endpoints to {@code routes}: its own HTTP routes, then its WebSocket path
   * served by the context's engine in the translator's protocol. Returns the WebSocket endpoint,
   * or null when the translator has no path in these settings.
   */
  public static WebSocketEndpoint mount(Translator translator, TranslatorContext context, Routes routes,
      WebSocketOptions websocket, AllowedOrigins origins, Map<String, String> responseHeaders) {
    String path = translator.path(context.settings());
    if (path == null || path.isEmpty()) {
      return null;
    }
    translator.routes(context, routes);
    WebSocketEndpoint endpoint = new WebSocketEndpoint(context.engine(),
        protocols(translator.protocols(context.settings())), websocket, origins, responseHeaders);
    routes.add(path, endpoint);
    // At INFO: a user who put a translator jar on the class path sees that it was found and where.
    LOG.info(() -> "translator " + translator.name() + " mounted on " + path);
    return endpoint;
  }
}
