package io.vxcable.pusher;

import io.vxcable.session.translator.TranslatorVerticle;

/**
 * The Pusher translator on a port of its own, reaching the broker, presence and the broadcasts over
 * the (clustered) event bus:
 *
 * <pre>{@code
 * scripts/vertx run pusher -conf '{"port":8081,"pusher_app_id":"app","pusher_app_key":"key","pusher_secret":"s3cr3t"}' -cluster
 * }</pre>
 */
public final class PusherVerticle extends TranslatorVerticle {

  public PusherVerticle() {
    super(new PusherTranslator());
  }
}
