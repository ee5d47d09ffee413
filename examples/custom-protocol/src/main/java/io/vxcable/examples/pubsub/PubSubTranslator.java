package io.vxcable.examples.pubsub;

import io.vxcable.config.Settings;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.spi.WireProtocol;

/**
 * The pub/sub protocol as a translator: served on {@code pubsub_path} (default {@value #DEFAULT_PATH})
 * in {@link PubSubProtocol}. Found by the gateway through
 * {@code META-INF/services/io.vxcable.session.spi.Translator} when its jar is on
 * {@code VXCABLE_CLASSPATH}, or run on a port of its own by {@link PubSubVerticle}.
 */
public final class PubSubTranslator implements Translator {

  /** The config key of the WebSocket path; empty = not served. */
  public static final String PATH_KEY = "pubsub_path";
  public static final String DEFAULT_PATH = "/pubsub";

  @Override
  public String name() {
    return "pubsub";
  }

  /**
   * {@code pubsub_path} from a verticle's {@code -conf} JSON, else {@value #DEFAULT_PATH}. Mounted
   * on the gateway, the settings come from anycable-go's flags, which have no such key: the
   * default applies there.
   */
  @Override
  public String path(Settings settings) {
    return settings.has(PATH_KEY) ? settings.string(PATH_KEY) : DEFAULT_PATH;
  }

  @Override
  public WireProtocol protocol(Settings settings) {
    return PubSubProtocol.INSTANCE;
  }
}
