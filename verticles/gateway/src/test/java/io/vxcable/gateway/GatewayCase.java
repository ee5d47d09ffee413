package io.vxcable.gateway;

import io.vertx.core.Vertx;
import io.vxcable.contracts.BusCodecs;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh Vert.x with the bus codecs and a free port for each component test. */
abstract class GatewayCase {

  Vertx vertx;
  int port;

  @BeforeEach
  void startVertx() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    port = GatewayFixture.freePort();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
