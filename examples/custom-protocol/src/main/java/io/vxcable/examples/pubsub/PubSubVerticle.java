package io.vxcable.examples.pubsub;

import io.vxcable.session.translator.TranslatorVerticle;

/**
 * The pub/sub protocol on a port of its own, reaching the rest of the deployment over the
 * (clustered) event bus:
 *
 * <pre>{@code
 * VXCABLE_CLASSPATH=examples/custom-protocol/target/custom-protocol.jar \
 *   scripts/vertx run io.vxcable.examples.pubsub.PubSubVerticle \
 *   -conf '{"port":8081,"pubsub_path":"/rooms","public":true}' -cluster
 * }</pre>
 */
public final class PubSubVerticle extends TranslatorVerticle {

  public PubSubVerticle() {
    super(new PubSubTranslator());
  }
}
