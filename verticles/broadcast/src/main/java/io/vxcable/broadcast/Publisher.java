package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;

/** Where accepted publications go: the bus in production, a list in tests. */
public interface Publisher {

  /**
   * Publishes one request body's broadcasts, in order. Completes once all are accepted (with a
   * broker: stamped and stored).
   */
  Future<Void> publish(List<StreamBroadcast> broadcasts);

  void command(RemoteCommand command);
}
