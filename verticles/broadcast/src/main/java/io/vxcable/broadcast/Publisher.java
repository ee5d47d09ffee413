package io.vxcable.broadcast;

import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;

/** Where accepted publications go: the bus in production, a list in tests. */
public interface Publisher {

  void publish(StreamBroadcast broadcast);

  void command(RemoteCommand command);
}
