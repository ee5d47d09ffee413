package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;

/** Where accepted publications go: the bus in production, a list in tests. */
public interface Publisher {

  /** Completes once the publication is accepted (with a broker: stamped and stored). */
  Future<Void> publish(StreamBroadcast broadcast);

  void command(RemoteCommand command);
}
