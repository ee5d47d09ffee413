package io.vxcable.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.logging.Logger;

/**
 * Netty's native epoll transport when the platform has it (Linux x86-64: the jar carries it), NIO
 * otherwise. An epoll channel holds about half a kilobyte less per connection than a NIO one (no
 * JDK socket channel, adaptor, selection key and their locks) and saves a copy per read. Off with
 * {@code -Dvxcable.native_transport=false} in {@code JAVA_OPTS}.
 */
final class NativeTransport {

  private static final Logger LOG = Logger.getLogger(NativeTransport.class.getName());
  static final String PROPERTY = "vxcable.native_transport";

  private NativeTransport() {}

  static VertxOptions prefer(VertxOptions options) {
    return options.setPreferNativeTransport(Boolean.parseBoolean(System.getProperty(PROPERTY, "true")));
  }

  /** One line saying which transport the sockets use, and why not the native one. */
  static void report(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("Network transport: native epoll");
    } else if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
      LOG.info("Network transport: NIO (-D" + PROPERTY + "=false)");
    } else {
      Throwable cause = vertx.unavailableNativeTransportCause();
      LOG.info("Network transport: NIO (native epoll unavailable: " + (cause == null ? "unknown" : cause.getMessage()) + ")");
    }
  }
}
