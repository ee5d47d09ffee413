package io.vxcable.ocpp;

import io.vxcable.session.translator.TranslatorVerticle;

/**
 * The OCPP translator on a port of its own, reaching the application, the broker and the
 * broadcasts over the (clustered) event bus:
 *
 * <pre>{@code
 * scripts/vertx run ocpp -conf '{"port":8081,"ocpp_path":"/ocpp"}' -cluster
 * }</pre>
 */
public final class OcppVerticle extends TranslatorVerticle {

  public OcppVerticle() {
    super(new OcppTranslator());
  }
}
