package io.vxcable.rpc;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.BusError;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The RPC bridge: the only verticle that talks to the application. Serves {@code cable.rpc.connect},
 * {@code cable.rpc.command} and {@code cable.rpc.disconnect} for every gateway; several instances
 * (in one process or across the cluster) share the load, the bus spreading requests among them.
 * With {@code --norpc} it registers nothing.
 */
public final class RpcVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(RpcVerticle.class.getName());
  private static final long DNS_REFRESH_MS = 30_000;

  private RpcOptions options;
  private AppClient client;
  private RpcCaller caller;
  private FailureReport failures;
  private DisconnectQueue disconnects;
  private int shutdownTimeout;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings settings = Settings.fromVerticleConfig(config());
    options = RpcOptions.from(settings);
    shutdownTimeout = Math.max(1, settings.integer("shutdown_timeout"));
    if (options.implementation().equals("none")) {
      return Future.succeededFuture();
    }
    Future<Void> ready = Future.succeededFuture();
    if (options.implementation().equals("http")) {
      client = new HttpAppClient(vertx, options);
    } else {
      RpcTargets targets = RpcTargets.parse(options.host());
      client = new GrpcAppClient(vertx, options, targets);
      if (targets.needsResolution()) {
        ready = targets.resolve(vertx).recover(err -> {
          LOG.warning(() -> "cannot resolve " + targets + " yet: " + err.getMessage());
          return Future.succeededFuture();
        });
        vertx.setPeriodic(DNS_REFRESH_MS, id -> targets.resolve(vertx));
      }
    }
    caller = new RpcCaller(vertx, options);
    failures = new FailureReport(options.implementation(), options.host(), System::currentTimeMillis);
    disconnects = new DisconnectQueue(vertx, settings.integer("disconnect_rate"), settings.integer("disconnect_backlog_size"),
        (sid, req) -> caller.call(t -> client.disconnect(sid, req, t))
            .onFailure(err -> Trace.log(LOG, Level.FINE, sid, () -> "Disconnect failed: " + err.getMessage())));
    Metrics metrics = Metrics.of(vertx, settings);
    caller.report(metrics);
    metrics.intervalGauge("disconnect_queue_size", "The size of delayed disconnect", disconnects::size);
    consumers.add(vertx.eventBus().<ConnectionRequest>consumer(Addresses.RPC_CONNECT, m ->
        reply(m, caller.call(sid(m), t -> client.connect(sid(m), m.body(), t)))));
    consumers.add(vertx.eventBus().<CommandMessage>consumer(Addresses.RPC_COMMAND, m ->
        reply(m, caller.call(sid(m), t -> client.command(sid(m), m.body(), t)))));
    consumers.add(vertx.eventBus().consumer(Addresses.RPC_CANCEL, m -> caller.cancel(sid(m))));
    consumers.add(vertx.eventBus().<DisconnectRequest>consumer(Addresses.RPC_DISCONNECT, m -> {
      disconnects.enqueue(sid(m), m.body());
      if (m.replyAddress() != null) {
        m.reply(null);
      }
    }));
    List<Future<Void>> registered = consumers.stream().map(MessageConsumer::completion).toList();
    return ready.compose(v -> Future.all(registered))
        .onSuccess(v -> LOG.info(() -> "RPC bridge (" + options.implementation() + ") to " + options.host()
            + ", concurrency " + (options.adaptive() ? "adaptive " + options.concurrencyMin() + ".." + options.concurrencyMax()
            : options.concurrency())));
  }

  @Override
  public Future<?> stop() {
    if (client == null) {
      return Future.succeededFuture();
    }
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .transform(ar -> disconnects.flush().timeout(shutdownTimeout, TimeUnit.SECONDS))
        .otherwise(err -> {
          LOG.warning("had no time to invoke every Disconnect call: " + err.getMessage());
          return null;
        })
        .compose(v -> client.close());
  }

  private static String sid(Message<?> m) {
    String sid = m.headers().get(Addresses.HEADER_SID);
    return sid == null ? "" : sid;
  }

  private <T> void reply(Message<?> m, Future<T> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(ar.result());
      } else {
        RpcException e = ar.cause() instanceof RpcException re ? re : GrpcAppClient.map(ar.cause());
        BusError code = e.status() == RpcStatus.UNAVAILABLE || e.status() == RpcStatus.DEADLINE_EXCEEDED
            || e.status() == RpcStatus.CIRCUIT_OPEN
            ? BusError.UNAVAILABLE : e.status() == RpcStatus.UNAUTHENTICATED ? BusError.UNAUTHORIZED : BusError.INTERNAL;
        Trace.log(LOG, Level.FINE, sid(m), () -> m.address() + " failed: " + e.status() + " " + e.getMessage());
        String warning = failures.failed(e);
        if (warning != null) {
          LOG.warning(warning);
        }
        m.fail(code.code(), e.getMessage());
      }
    });
  }
}
