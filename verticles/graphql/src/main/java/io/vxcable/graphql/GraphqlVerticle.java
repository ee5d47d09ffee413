package io.vxcable.graphql;

import io.vxcable.session.translator.TranslatorVerticle;

/**
 * The Apollo GraphQL translator on a port of its own, reaching the application and the broadcasts
 * over the (clustered) event bus:
 *
 * <pre>{@code
 * scripts/vertx run graphql -conf '{"port":8081,"graphql_path":"/graphql"}' -cluster
 * }</pre>
 */
public final class GraphqlVerticle extends TranslatorVerticle {

  public GraphqlVerticle() {
    super(new GraphqlTranslator());
  }
}
