package io.vxcable.contracts;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Requests to verticles that may run on every node (the broadcast intake, the RPC bridge, a
 * cluster-wide presence or broker backend): this node's instance answers when there is one, and
 * only otherwise the cluster's. In a cluster where every node runs every verticle this removes a
 * network hop, and a request never waits on a node that just died while its registrations are
 * still in the cluster's map; with split roles it costs one local lookup.
 */
public final class BusRequests {

  private BusRequests() {}

  public static <T> Future<Message<T>> localFirst(EventBus bus, String address, Object body, DeliveryOptions options) {
    DeliveryOptions local = new DeliveryOptions(options).setLocalOnly(true);
    return bus.<T>request(address, body, local).recover(err -> {
      if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        return bus.request(address, body, options);
      }
      return Future.failedFuture(err);
    });
  }

  /**
   * Whether a request failed without reaching a handler: nobody consumes the address, or the
   * consumer it was routed to had unregistered when it came (Vert.x discards it and fails the
   * request at once, as a timeout whose message says so). Sending it again cannot apply it twice.
   */
  public static boolean neverDelivered(Throwable err) {
    return err instanceof ReplyException e && (e.failureType() == ReplyFailure.NO_HANDLERS
        || e.failureType() == ReplyFailure.TIMEOUT && String.valueOf(e.getMessage()).startsWith("Discarded"));
  }
}
