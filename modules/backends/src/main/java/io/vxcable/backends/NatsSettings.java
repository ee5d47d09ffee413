package io.vxcable.backends;

import io.nats.client.ConnectionListener;
import io.nats.client.Options;
import io.vxcable.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * anycable-go's NATS client options ({@code --nats_servers}, {@code --nats_dont_randomize_servers})
 * as a jnats configuration. Every NATS user of the server (the {@code nats} broadcast adapter, the
 * NATS pub/sub bridge, the NATS broker) connects this way: reconnecting for ever, every 500 ms.
 *
 * @param servers the server URLs, none empty
 * @param noRandomize try the servers in the given order
 */
public record NatsSettings(List<String> servers, boolean noRandomize) {

  public NatsSettings {
    servers = servers.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The {@code --nats_*} options of a resolved configuration. */
  public static NatsSettings from(Settings s) {
    return new NatsSettings(List.of(s.string("nats_servers").split(",")), s.bool("nats_dont_randomize_servers"));
  }

  /** Client options for a connection named {@code name} (shown by the NATS server's monitoring). */
  public Options options(String name, ConnectionListener listener) {
    Options.Builder b = new Options.Builder().servers(servers.toArray(String[]::new)).connectionName(name)
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(500)).errorListener(new NatsErrors(name));
    if (listener != null) {
      b.connectionListener(listener);
    }
    if (noRandomize) {
      b.noRandomize();
    }
    return b.build();
  }

  /** The servers, for logs. */
  @Override
  public String toString() {
    return servers.toString();
  }
}
