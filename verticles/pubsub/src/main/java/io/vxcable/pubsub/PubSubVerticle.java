package io.vxcable.pubsub;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vxcable.backends.NatsSettings;
import io.vxcable.backends.RedisSettings;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The pub/sub bridge ({@code --pubsub=redis|nats}): makes unclustered nodes one server for their
 * clients. It relays every broadcast and remote command published on this node's bus (by the
 * broker, the intake, presence or a gateway's whisper) to one Redis pub/sub channel or NATS
 * subject, and publishes what other nodes relayed on this node's bus, marked
 * {@link Addresses#HEADER_NODE_ONLY} so it is not relayed again. Gateways and intakes do not know
 * it exists.
 *
 * <p>Each message carries its node's domain, and a node drops its own echo: local subscribers got
 * it already, without the round trip. A clustered Vert.x (Hazelcast) already reaches every node,
 * so there the bridge stays off and says so: the two never deliver a message twice.
 *
 * <p>Only the first instance of a Vert.x instance relays (several would relay each message
 * several times); the others stay idle.
 */
public final class PubSubVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(PubSubVerticle.class.getName());
  private static final Set<Vertx> ACTIVE = ConcurrentHashMap.newKeySet();
  /** The Redis channel and NATS subject every node relays on. */
  public static final String CHANNEL = "__vxcable_pubsub__";
  /** How long after a reconnection this node's gateways are asked to resync. */
  static final long RESYNC_DELAY_MS = 1000;
  private static final DeliveryOptions RELAYED = new DeliveryOptions().setLocalOnly(true)
      .addHeader(Addresses.HEADER_NODE_ONLY, "1");

  private final String domain = UUID.randomUUID().toString();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private Relay relay;
  private boolean active;
  private long relayed;
  private long receivedCount;
  private long ignored;

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings s;
    try {
      s = Settings.fromVerticleConfig(config());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    String adapter = s.string("pubsub");
    if (adapter.isEmpty() || adapter.equals("none")) {
      return Future.succeededFuture();
    }
    Relay chosen = switch (adapter) {
      case "redis" -> new RedisRelay(vertx, RedisSettings.from(s), CHANNEL);
      case "nats" -> new NatsRelay(vertx, NatsSettings.from(s), CHANNEL);
      default -> null;
    };
    if (chosen == null) {
      return Future.failedFuture(new ConfigException("--pubsub=" + adapter + " is not supported (redis, nats, or none)"));
    }
    if (vertx.isClustered()) {
      LOG.info(() -> "pub/sub: --pubsub=" + adapter + " stays off: this node is in a cluster whose event bus already "
          + "reaches every node");
      return Future.succeededFuture();
    }
    if (!ACTIVE.add(vertx)) {
      return Future.succeededFuture();
    }
    active = true;
    relay = chosen;
    EventBus bus = vertx.eventBus();
    for (int shard = 0; shard < Addresses.BROADCAST_SHARDS; shard++) {
      consumers.add(bus.<StreamBroadcast>localConsumer(Addresses.broadcastShard(shard), this::outbound));
    }
    consumers.add(bus.<RemoteCommand>localConsumer(Addresses.EVENTS_COMMAND, this::outbound));
    relay.start(this::inbound, this::resumed);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(v -> LOG.info(() -> "pub/sub bridge relaying through " + relay.describe()));
  }

  /**
   * Back after an outage: what other nodes relayed meanwhile is lost to this node's live clients;
   * with a broker, its gateways read it from the history now rather than at each stream's next message.
   */
  private void resumed() {
    // A second later: a broker sharing the same service may be coming back from the same outage.
    vertx.setTimer(RESYNC_DELAY_MS, id -> vertx.eventBus().publish(Addresses.EVENTS_RESYNC, null,
        new DeliveryOptions().setLocalOnly(true)));
  }

  private void outbound(Message<? extends com.google.protobuf.MessageLite> m) {
    if (m.headers().contains(Addresses.HEADER_NODE_ONLY)) {
      return;
    }
    relayed++;
    relay.publish(new Envelope(domain, m.body()).encode());
  }

  private void inbound(byte[] raw) {
    Envelope e;
    try {
      e = Envelope.decode(raw);
    } catch (InvalidProtocolBufferException err) {
      if (ignored++ == 0) {
        LOG.warning(() -> "pub/sub: ignoring a message on " + CHANNEL + " that no vxcable node sent (" + err.getMessage() + ")");
      }
      return;
    }
    if (e.domain().equals(domain)) {
      return;
    }
    receivedCount++;
    EventBus bus = vertx.eventBus();
    if (e.message() instanceof StreamBroadcast b) {
      bus.publish(Addresses.broadcastAddress(b.getStream()), b, RELAYED);
    } else {
      bus.publish(Addresses.EVENTS_COMMAND, e.message(), RELAYED);
    }
  }

  /** Messages relayed to other nodes and received from them, since the start (for tests and metrics). */
  long relayed() {
    return relayed;
  }

  long received() {
    return receivedCount;
  }

  @Override
  public Future<?> stop() {
    if (!active) {
      return Future.succeededFuture();
    }
    List<Future<?>> done = new ArrayList<>();
    consumers.forEach(c -> done.add(c.unregister()));
    done.add(relay.stop());
    ACTIVE.remove(vertx);
    return Future.join(done);
  }
}
