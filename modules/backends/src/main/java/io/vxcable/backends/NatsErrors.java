package io.vxcable.backends;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import java.util.logging.Logger;

/**
 * What the NATS client reports besides connection state: a server error (an authorization
 * violation, a permission refused) or a slow consumer is a warning; a socket exception is only
 * logged at debug level, because every connection already says that it lost its server and is
 * reconnecting (the client's default listener would log each at error level).
 */
final class NatsErrors implements ErrorListener {

  private static final Logger LOG = Logger.getLogger(NatsErrors.class.getName());

  private final String name;

  NatsErrors(String name) {
    this.name = name;
  }

  @Override
  public void errorOccurred(Connection conn, String error) {
    LOG.warning(() -> "NATS server error on connection " + name + ": " + error);
  }

  @Override
  public void exceptionOccurred(Connection conn, Exception exp) {
    LOG.fine(() -> "NATS connection " + name + ": " + exp);
  }

  @Override
  public void slowConsumerDetected(Connection conn, Consumer consumer) {
    LOG.warning(() -> "NATS connection " + name + ": a subscription falls behind (slow consumer); messages may be dropped");
  }
}
