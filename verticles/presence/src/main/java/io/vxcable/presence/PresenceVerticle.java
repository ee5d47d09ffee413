package io.vxcable.presence;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vxcable.cluster.HazelcastSupport;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.PresenceChangeReply;
import io.vxcable.contracts.bus.PresenceInfoReply;
import io.vxcable.contracts.bus.PresenceInfoRequest;
import io.vxcable.contracts.bus.PresenceJoin;
import io.vxcable.contracts.bus.PresenceLeave;
import io.vxcable.contracts.bus.PresenceTouch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Presence: answers joins, leaves and info requests on the {@code cable.presence.*} addresses,
 * takes touches, publishes join and leave events to the stream's subscribers (transient
 * broadcasts of type {@code presence}), and sweeps expired sessions every second. The backend
 * follows {@code --broker}; empty or {@code none} registers nothing (gateways then answer
 * presence commands with an error).
 *
 * <ul>
 *   <li>{@code memory}: the state lives in the first presence instance of this Vert.x instance;
 *       the others stay idle. Run one per cluster.</li>
 *   <li>{@code hazelcast}, {@code redis}, {@code nats}: the state lives in the cluster's Hazelcast
 *       maps, in Redis or in a JetStream key-value bucket; every instance serves, and the first of
 *       each Vert.x instance sweeps (each expiry is an atomic step, so each leave event goes out
 *       once, whichever node swept).</li>
 * </ul>
 * Settings: {@code broker}, {@code presence_ttl} (seconds a session stays present after its last
 * join or touch; default 15).
 */
public final class PresenceVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(PresenceVerticle.class.getName());
  /** Vert.x instances whose presence state (memory) or sweep (hazelcast) an instance has taken. */
  private static final Set<Vertx> OWNED = ConcurrentHashMap.newKeySet();
  static final long SWEEP_MS = 1000;

  private final LongSupplier clock;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private Presence presence;
  private boolean owner;
  private boolean sweeping;
  private long sweeper = -1;
  private java.util.function.Supplier<Future<Void>> closeBackend = Future::succeededFuture;

  public PresenceVerticle() {
    this(System::currentTimeMillis);
  }

  /** A verticle reading time from {@code clock} (milliseconds), for tests. */
  PresenceVerticle(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings s;
    try {
      s = Settings.fromVerticleConfig(config());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    int ttl = s.integer("presence_ttl");
    if (ttl < 1) {
      return Future.failedFuture(new ConfigException("--presence_ttl must be at least 1 second, not " + ttl));
    }
    String adapter = s.string("broker");
    if (adapter.isEmpty() || adapter.equals("none")) {
      return Future.succeededFuture();
    }
    if (adapter.equals("memory")) {
      if (!OWNED.add(vertx)) {
        LOG.warning("a memory presence already runs in this process: this instance stays idle");
        return Future.succeededFuture();
      }
      owner = true;
      presence = new MemoryPresence(ttl, clock);
      sweeper = vertx.setPeriodic(SWEEP_MS, id -> sweep());
      return serve().onSuccess(v -> LOG.info(() -> "memory presence, ttl " + ttl + " s"));
    }
    if (PresenceBackends.external(adapter)) {
      return PresenceBackends.open(vertx, s, adapter, ttl, clock).compose(o -> {
        presence = o.presence();
        closeBackend = o.close();
        sweepHere();
        return serve();
      }).onSuccess(v -> LOG.info(() -> adapter + " presence, ttl " + ttl + " s"));
    }
    if (!adapter.equals("hazelcast")) {
      return Future.failedFuture(new ConfigException("--broker=" + adapter + " is not supported for presence (memory, hazelcast, redis, nats)"));
    }
    HazelcastInstance hz = HazelcastSupport.member(vertx);
    if (hz == null) {
      return Future.failedFuture(new ConfigException("--broker=hazelcast needs a clustered Vert.x with the Hazelcast "
          + "cluster manager (vertx run ... -cluster, or scripts/anycable, which clusters for it)"));
    }
    return HazelcastPresence.start(vertx, hz, HazelcastPresence.DEFAULT_NAMESPACE, ttl, clock).compose(p -> {
      presence = p;
      sweepHere();
      return serve();
    }).onSuccess(v -> LOG.info(() -> "hazelcast presence, ttl " + ttl + " s"));
  }

  /** The first instance of this Vert.x instance sweeps (each expiry is atomic in the shared backend). */
  private void sweepHere() {
    owner = OWNED.add(vertx);
    if (owner) {
      sweeper = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    List<Future<?>> done = new ArrayList<>();
    for (MessageConsumer<?> c : consumers) {
      done.add(c.unregister());
    }
    if (owner) {
      OWNED.remove(vertx);
    }
    return Future.join(done).eventually(() -> closeBackend.get());
  }

  private Future<?> serve() {
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<PresenceJoin>consumer(Addresses.PRESENCE_JOIN, m -> {
      PresenceJoin j = m.body();
      answer(m, presence.join(j.getStream(), j.getSid(), j.getId(), j.getInfo().toByteArray()));
    }));
    consumers.add(bus.<PresenceLeave>consumer(Addresses.PRESENCE_LEAVE, m ->
        answer(m, presence.leave(m.body().getStream(), m.body().getSid()))));
    consumers.add(bus.<PresenceInfoRequest>consumer(Addresses.PRESENCE_INFO, m ->
        presence.info(m.body().getStream()).onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(PresenceInfoReply.newBuilder().setKnown(!ar.result().isEmpty()).addAllRecords(ar.result()).build());
          } else {
            LOG.warning(() -> "presence info of " + m.body().getStream() + " failed: " + ar.cause());
            m.reply(PresenceInfoReply.newBuilder().setError(String.valueOf(ar.cause().getMessage())).build());
          }
        })));
    consumers.add(bus.<PresenceTouch>consumer(Addresses.PRESENCE_TOUCH, m ->
        presence.touch(m.body().getSidsList()).onFailure(err -> LOG.warning(() -> "presence touch failed: " + err))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** Publishes the event, if any, then replies; a refused or failed change is answered with its reason. */
  private void answer(Message<?> m, Future<PresenceEvent> change) {
    change.onComplete(ar -> {
      if (ar.succeeded()) {
        publish(ar.result());
        m.reply(PresenceChangeReply.getDefaultInstance());
      } else {
        if (!(ar.cause() instanceof Presence.PresenceException)) {
          LOG.warning(() -> "presence change failed: " + ar.cause());
        }
        m.reply(PresenceChangeReply.newBuilder().setError(String.valueOf(ar.cause().getMessage())).build());
      }
    });
  }

  private void publish(PresenceEvent event) {
    if (event != null) {
      vertx.eventBus().publish(Addresses.broadcastAddress(event.stream()), event.toBroadcast());
    }
  }

  private void sweep() {
    if (sweeping) {
      return; // the previous sweep is still running (a slow cluster)
    }
    sweeping = true;
    presence.expire().onComplete(ar -> {
      sweeping = false;
      if (ar.succeeded()) {
        ar.result().forEach(this::publish);
      } else {
        LOG.warning(() -> "presence sweep failed: " + ar.cause());
      }
    });
  }
}
