package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The warning lines of a broker or presence verticle that does not answer: the cause and where to look. */
class UnansweredRequestsTest {

  @Test
  void aMissingBrokerIsNamedWithTheFlag() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      // What the bus really answers when no broker verticle runs.
      Throwable err = vertx.eventBus().request("cable.broker.history", "x").toCompletionStage().toCompletableFuture()
          .handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
      assertThat(err).isInstanceOf(ReplyException.class);
      assertThat(BrokerClient.unansweredLine((ReplyException) err, 1))
          .startsWith("history and session restores fail (1 request): no broker answers on the bus")
          .contains("--broker");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSilentBackendAndAFailingOneAreTold() {
    assertThat(BrokerClient.unansweredLine(new ReplyException(ReplyFailure.TIMEOUT, "timeout"), 12))
        .contains("(12 requests)").contains("did not answer within 5 s").contains("Redis, NATS");
    assertThat(PresenceClient.unansweredLine(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "Redis is loading"), 2))
        .isEqualTo("presence requests fail (2 requests): presence failed: Redis is loading");
    assertThat(PresenceClient.unansweredLine(new ReplyException(ReplyFailure.NO_HANDLERS, "none"), 1))
        .contains("no presence verticle answers").contains("--broker");
  }
}
