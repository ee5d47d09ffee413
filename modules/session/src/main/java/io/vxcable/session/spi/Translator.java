package io.vxcable.session.spi;

import io.vxcable.config.Settings;
import io.vxcable.http.Routes;
import java.util.List;

/**
 * A protocol of its own translated into the conversation the session engine runs: its clients
 * connect on a WebSocket path of their own, their frames become the channel commands an Action
 * Cable client would send ({@code subscribe} to {@code $pubsub}, {@code message} to a channel...),
 * and the engine's replies and broadcasts are written back in the protocol's format. The
 * translation lives in {@link #protocol}; the engine, the hub and every bus peer (RPC, broker,
 * presence) are shared with the gateway.
 *
 * <p>A translator runs two ways, with no change to its code:
 * <ul>
 *   <li><b>mounted on the gateway's main port</b>: listed in
 *       {@code META-INF/services/io.vxcable.session.spi.Translator} and on the server's class path
 *       ({@code VXCABLE_CLASSPATH}), it is found with {@link java.util.ServiceLoader} and served by
 *       every gateway instance on {@link #path};
 *   <li><b>standalone</b>: {@code scripts/vertx run <a TranslatorVerticle subclass> -conf <json>
 *       [-cluster]} serves it on a port of its own, reaching RPC, the broker and presence over the
 *       (clustered) bus.
 * </ul>
 *
 * <p>Implementations need a public no-argument constructor (for the service loader) and are
 * shared by every event loop: keep them stateless.
 */
public interface Translator {

  /** A short name for logs ({@code pubsub}, {@code graphql}). */
  String name();

  /**
   * The WebSocket path to serve, from the resolved settings (a verticle config may carry keys of
   * the translator's own); null or empty = not served.
   */
  String path(Settings settings);

  /** The encoding of every connection on {@link #path}. */
  WireProtocol protocol(Settings settings);

  /**
   * Every sub-protocol served on {@link #path}, the server's preference first; the first also
   * serves a client that offers none of them. {@link #protocol} alone by default; Apollo GraphQL
   * serves {@code graphql-transport-ws} and the legacy {@code graphql-ws} on one path.
   */
  default List<WireProtocol> protocols(Settings settings) {
    return List.of(protocol(settings));
  }

  /** Other HTTP endpoints of the protocol, added before its WebSocket path (none by default). */
  default void routes(TranslatorContext context, Routes routes) {}
}
