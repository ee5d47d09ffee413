package io.vxcable.session.spi;

import io.vertx.core.Vertx;
import io.vxcable.config.Settings;
import io.vxcable.session.SessionEngine;

/**
 * What a translator's endpoints can use: the Vert.x instance (its bus reaches every other
 * verticle), the session engine of the event loop serving them, and the resolved settings.
 */
public record TranslatorContext(Vertx vertx, SessionEngine engine, Settings settings) {}
