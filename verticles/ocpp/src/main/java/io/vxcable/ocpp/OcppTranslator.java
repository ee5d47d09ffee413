package io.vxcable.ocpp;

import io.vxcable.config.Settings;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.spi.WireProtocol;

/**
 * OCPP 1.6-J as a translator: charging stations connect to {@code <--ocpp_path>/{station_id}}
 * (sub-protocol {@value OcppProtocol#SUBPROTOCOL}) and talk to the application's
 * {@value OcppProtocol#CHANNEL}. Mounted on the gateway's main port when {@code --ocpp_path} is
 * set (it is in the server's jar), or served on a port of its own by {@link OcppVerticle}.
 */
public final class OcppTranslator implements Translator {

  public static final String PATH_KEY = "ocpp_path";
  public static final String GRANULAR_KEY = "ocpp_granular_actions";

  @Override
  public String name() {
    return "ocpp";
  }

  /** {@code --ocpp_path} followed by the station id segment; null when the option is empty. */
  @Override
  public String path(Settings settings) {
    String prefix = settings.has(PATH_KEY) ? settings.string(PATH_KEY) : "";
    if (prefix == null || prefix.isEmpty()) {
      return null;
    }
    String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return base + "/{station_id}";
  }

  /**
   * Granular actions unless {@code --ocpp_granular_actions=false}; the default BootNotification
   * answer's {@code interval} is the server's {@code --ping_interval}.
   */
  @Override
  public WireProtocol protocol(Settings settings) {
    boolean granular = !settings.has(GRANULAR_KEY) || settings.bool(GRANULAR_KEY);
    int interval = settings.has("ping_interval") ? settings.integer("ping_interval") : 3;
    return new OcppProtocol(granular, interval);
  }
}
