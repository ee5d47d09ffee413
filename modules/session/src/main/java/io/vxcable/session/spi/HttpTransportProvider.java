package io.vxcable.session.spi;

import java.util.List;

/**
 * Makes the {@link HttpEndpoint}s of one HTTP transport (SSE, long polling, Durable Streams) from
 * the resolved settings. Found with {@link java.util.ServiceLoader}: a new transport is a jar on the
 * class path with a {@code META-INF/services/io.vxcable.session.spi.HttpTransportProvider} entry;
 * the gateway mounts what every provider returns, once per gateway instance (event loop).
 */
public interface HttpTransportProvider {

  /** The endpoints to mount; empty when the transport is not enabled by the settings. */
  List<HttpEndpoint> endpoints(EndpointContext context);
}
