package io.vxcable.session.spi;

import io.vertx.core.Vertx;
import io.vxcable.config.Settings;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.session.SessionEngine;
import java.util.Map;

/**
 * What an HTTP transport's endpoints can use: the Vert.x instance (its bus reaches every other
 * verticle), the session engine of the gateway instance serving them, the resolved settings,
 * {@code --allowed_origins} (CORS), and the headers every response of the gateway carries
 * ({@code X-AnyCable-Version}).
 */
public record EndpointContext(Vertx vertx, SessionEngine engine, Settings settings, AllowedOrigins origins,
    Map<String, String> responseHeaders) {}
