package io.vxcable.pusher;

import io.vertx.core.http.HttpMethod;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.http.BodyPolicy;
import io.vxcable.http.HttpExchanges;
import io.vxcable.http.HttpLimits;
import io.vxcable.http.PublishCheck;
import io.vxcable.http.Routes;
import io.vxcable.session.SessionOptions;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.spi.TranslatorContext;
import io.vxcable.session.spi.WireProtocol;

/**
 * Pusher protocol 7 as a translator: {@code pusher-js} and Laravel Echo clients connect to
 * {@code /app/<--pusher_app_key>} and subscribe to Pusher channels, which are served by the engine's
 * {@code $pusher} channel (public, {@code private-} and {@code presence-} channels; client events).
 * On when both {@code --pusher_app_id} and {@code --pusher_app_key} are set, as in anycable-go;
 * mounted on the gateway's main port (it is in the server's jar), or served on a port of its own by
 * {@link PusherVerticle}. The Pusher HTTP API ({@code /apps/<--pusher_app_id>/...}) is forwarded
 * from the same port to the broadcast verticle, which checks the signatures and publishes.
 */
public final class PusherTranslator implements Translator {

  /** Seconds a client may stay silent before it pings ({@code activity_timeout}), anycable-go's. */
  static final int ACTIVITY_TIMEOUT = 30;

  @Override
  public String name() {
    return "pusher";
  }

  /** {@code /app/<app key>}; null unless Pusher mode is on. */
  @Override
  public String path(Settings settings) {
    return SessionOptions.pusher(settings) ? "/app/" + settings.string("pusher_app_key") : null;
  }

  @Override
  public WireProtocol protocol(Settings settings) {
    return new PusherProtocol(ACTIVITY_TIMEOUT);
  }

  /**
   * {@code /apps/<app id>} and below, forwarded over the bus to the broadcast verticle (POST bodies
   * read within the server's body limit; the signature is checked there). Not with a
   * {@code --pusher_api_port} of its own: the broadcast verticle listens there itself.
   */
  @Override
  public void routes(TranslatorContext context, Routes routes) {
    Settings settings = context.settings();
    int apiPort = settings.integer("pusher_api_port");
    if (!SessionOptions.pusher(settings) || apiPort != 0 && apiPort != settings.integer("port")) {
      return;
    }
    BodyPolicy post = BodyPolicy.publish(new PublishCheck(""), HttpLimits.from(settings));
    routes.addTree("/apps/" + settings.string("pusher_app_id"), req -> HttpExchanges.forward(context.vertx(), req,
        Addresses.BROADCAST_PUSHER, req.method() == HttpMethod.POST ? post : BodyPolicy.none()));
  }
}
