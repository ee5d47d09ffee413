package io.vxcable.broker;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.HistoryReply;
import io.vxcable.contracts.bus.HistoryRequest;
import io.vxcable.contracts.bus.PublishAck;
import io.vxcable.contracts.bus.SessionRestoreReply;
import io.vxcable.contracts.bus.SessionRestoreRequest;
import io.vxcable.contracts.bus.SessionSnapshot;
import io.vxcable.contracts.bus.StreamBroadcast;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The broker: the single owner of stream positions. Publications come in on
 * {@code cable.broker.publish}, are stamped and stored, then published on the stream's shard
 * address, in arrival order. Serves history and session snapshots to gateways. With
 * {@code --broker} empty or {@code none} it registers nothing. The memory backend keeps its state
 * in this instance, so it runs as one instance per cluster.
 */
public final class BrokerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(BrokerVerticle.class.getName());
  /** One memory broker per JVM: a second instance would split the state. */
  private static final AtomicBoolean MEMORY_OWNER = new AtomicBoolean();

  private Broker broker;
  private boolean owner;
  private long sweeper = -1;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings s = Settings.fromVerticleConfig(config());
    String adapter = s.string("broker");
    if (adapter.isEmpty() || adapter.equals("none")) {
      return Future.succeededFuture();
    }
    if (!adapter.equals("memory")) {
      return Future.failedFuture(new ConfigException("--broker=" + adapter + " is not supported (memory)"));
    }
    if (!MEMORY_OWNER.compareAndSet(false, true)) {
      LOG.warning("a memory broker already runs in this process: this instance stays idle");
      return Future.succeededFuture();
    }
    owner = true;
    broker = new MemoryBroker(s.integer("history_limit"), s.integer("history_ttl"), s.integer("sessions_ttl"),
        System::currentTimeMillis);
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<StreamBroadcast>consumer(Addresses.BROKER_PUBLISH, m -> {
      StreamBroadcast stamped = broker.append(m.body());
      bus.publish(Addresses.broadcastAddress(stamped.getStream()), stamped);
      m.reply(PublishAck.newBuilder().setEpoch(stamped.getEpoch()).setOffset(stamped.getOffset()).build());
    }));
    consumers.add(bus.<HistoryRequest>consumer(Addresses.BROKER_HISTORY, m -> {
      HistoryRequest r = m.body();
      HistoryReply.Builder reply = HistoryReply.newBuilder();
      try {
        reply.addAllMessages(r.getHasPosition()
            ? broker.historyFrom(r.getStream(), r.getEpoch(), r.getOffset())
            : broker.historySince(r.getStream(), r.getSince()));
      } catch (Broker.HistoryException e) {
        reply.setError(e.getMessage());
      }
      m.reply(reply.build());
    }));
    consumers.add(bus.<SessionSnapshot>consumer(Addresses.BROKER_SESSION_COMMIT, m ->
        broker.commitSession(m.body().getSid(), m.body().getState().toByteArray())));
    consumers.add(bus.<SessionRestoreRequest>consumer(Addresses.BROKER_SESSION_RESTORE, m -> {
      byte[] state = broker.restoreSession(m.body().getSid());
      m.reply(state == null ? SessionRestoreReply.getDefaultInstance()
          : SessionRestoreReply.newBuilder().setFound(true).setState(ByteString.copyFrom(state)).build());
    }));
    sweeper = vertx.setPeriodic(1000, id -> broker.expire());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(v -> LOG.info(() -> "memory broker, epoch " + broker.epoch() + ", history " + s.integer("history_limit")
            + " messages / " + s.integer("history_ttl") + " s, sessions " + s.integer("sessions_ttl") + " s"));
  }

  @Override
  public Future<?> stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    if (owner) {
      MEMORY_OWNER.set(false);
    }
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
