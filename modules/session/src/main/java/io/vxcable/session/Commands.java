package io.vxcable.session;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Trace;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.session.spi.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a session's commands one at a time, in order (later commands wait while one waits for the
 * application, the broker or presence), and applies their results in anycable-go's order.
 */
final class Commands {

  private static final Logger LOG = Logger.getLogger(Commands.class.getName());

  private final SessionOptions options;
  private final Controller controller;
  private final Hub hub;
  private final Resumption resumption;
  private final PresenceCommands presence;
  private final EventBus bus;
  private final EngineStats stats;

  Commands(SessionOptions options, Controller controller, Hub hub, Resumption resumption, PresenceCommands presence,
      EventBus bus, EngineStats stats) {
    this.options = options;
    this.controller = controller;
    this.hub = hub;
    this.resumption = resumption;
    this.presence = presence;
    this.bus = bus;
    this.stats = stats;
  }

  /** One decoded command: run now, or queued behind the one the session waits for. */
  void dispatch(Session s, ClientCommand cmd) {
    if (s.ending()) {
      return;
    }
    if (s.busy()) {
      s.queue(cmd);
      return;
    }
    stats.clientMessages++;
    String command = cmd.command() == null ? "" : cmd.command();
    String identifier = cmd.identifier() == null ? "" : cmd.identifier();
    switch (command) {
      case "subscribe" -> subscribe(s, identifier, cmd);
      case "unsubscribe" -> unsubscribe(s, identifier);
      case "message" -> perform(s, identifier, cmd);
      case "whisper" -> whisper(s, identifier, cmd);
      case "history" -> history(s, identifier, cmd);
      case "presence", "join", "leave" -> presence.run(s, identifier, command, cmd, this);
      case "ping" -> s.send(new Reply.Pong());
      case "pong" -> { }
      default -> failed(s, "unknown command: " + command);
    }
  }

  /** Runs the commands that waited, until one has to wait again. */
  void drain(Session s) {
    ClientCommand next;
    while (!s.busy() && !s.ending() && (next = s.nextQueued()) != null) {
      dispatch(s, next);
    }
    s.settleIfIdle();
  }

  private void subscribe(Session s, String identifier, ClientCommand cmd) {
    if (s.subscription(identifier) != null) {
      failed(s, "already subscribed: " + identifier);
      return;
    }
    if (options.maxSubscriptions() > 0 && s.subscriptionCount() >= options.maxSubscriptions()) {
      // A bounded session: the application is not asked, the client learns it like any rejection.
      s.send(new Reply.RejectSubscription(identifier));
      failed(s, "subscription limit of " + options.maxSubscriptions() + " reached: " + identifier);
      return;
    }
    run(s, controller.subscribe(s, identifier), r -> {
      s.interestedInDisconnect(r.disconnectInterest());
      if (r.status() == Status.FAILURE) {
        r.transmissions().forEach(s::send);
        return Future.succeededFuture();
      }
      Subscription sub = s.addSubscription(identifier);
      ClientCommand.HistoryRequest h = cmd.history();
      boolean replay = h != null && (h.since() > 0 || h.streams() != null);
      if (replay) {
        // Live broadcasts of the new streams follow the history, not the other way round.
        LiveGates.hold(s, identifier, 0);
      }
      return apply(s, sub, r).compose(v -> {
        resumption.commit(s);
        if (s.closed() || !replay) {
          return Future.succeededFuture();
        }
        return resumption.history(s, identifier, h);
      }, err -> {
        LiveGates.release(s, identifier, Map.of());
        return Future.failedFuture(err);
      }).compose(v -> {
        // anycable-go's order: confirmation, history, then the presence join.
        String stream = sub.state(StreamsRouter.PRESENCE_KEY);
        if (s.closed() || cmd.presence() == null || stream == null) {
          return Future.succeededFuture();
        }
        return presence.join(s, stream, cmd.presence().id(), cmd.presence().infoJson()).otherwiseEmpty();
      });
    });
  }

  private void unsubscribe(Session s, String identifier) {
    if (s.subscription(identifier) == null) {
      failed(s, "unknown subscription: " + identifier);
      return;
    }
    run(s, controller.unsubscribe(s, identifier), r -> {
      Subscription sub = s.removeSubscription(identifier);
      if (sub != null) {
        for (String stream : sub.streams) {
          hub.unsubscribe(s, identifier, stream);
        }
        String presenceStream = sub.state(StreamsRouter.PRESENCE_KEY);
        if (presenceStream != null && PresenceCommands.in(s, presenceStream)) {
          presence.leave(s, presenceStream);
        }
      }
      s.mergeConnectionState(r.cstate());
      resumption.commit(s);
      return Future.succeededFuture();
    });
  }

  private void perform(Session s, String identifier, ClientCommand cmd) {
    Subscription sub = s.subscription(identifier);
    if (sub == null || cmd.dataString() == null) {
      failed(s, sub == null ? "unknown subscription: " + identifier : "message data must be a string");
      return;
    }
    run(s, controller.perform(s, identifier, cmd.dataString()), r -> apply(s, sub, r).onSuccess(v -> resumption.commit(s)));
  }

  private void whisper(Session s, String identifier, ClientCommand cmd) {
    Subscription sub = s.subscription(identifier);
    String stream = sub == null ? null : sub.state(StreamsRouter.WHISPER_KEY);
    if (stream == null) {
      return;
    }
    String data = cmd.dataJson() == null ? "null" : cmd.dataJson();
    StreamBroadcast m = StreamBroadcast.newBuilder()
        .setStream(stream)
        .setMessage(ByteString.copyFromUtf8(data))
        .setExcludeSocket(s.sid())
        .setTransient(true)
        .build();
    bus.publish(Addresses.broadcastAddress(stream), m);
  }

  private void history(Session s, String identifier, ClientCommand cmd) {
    ClientCommand.HistoryRequest h = cmd.history();
    if (s.subscription(identifier) == null || h == null || (h.since() <= 0 && h.streams() == null)) {
      // A resumed client with no position to ask from (@anycable/core sends one for every
      // restored identifier): nothing will be replayed, so what was held flows now.
      LiveGates.release(s, identifier, Map.of());
      failed(s, "invalid history request for " + identifier);
      return;
    }
    run(s, Future.succeededFuture(h), req -> resumption.history(s, identifier, req));
  }

  /**
   * Applies a command result in anycable-go's order: stop streams, add streams (waiting until the
   * hub listens), merge state, then transmissions, the presence change, then a requested disconnect.
   */
  private Future<Void> apply(Session s, Subscription sub, CommandResult r) {
    if (r.status() == Status.ERROR) {
      return Future.succeededFuture();
    }
    if (r.stopStreams()) {
      for (String stream : sub.streams) {
        hub.unsubscribe(s, sub.identifier, stream);
      }
      sub.streams.clear();
    } else {
      for (String stream : r.stoppedStreams()) {
        if (sub.streams.remove(stream)) {
          hub.unsubscribe(s, sub.identifier, stream);
        }
      }
    }
    List<Future<Void>> listening = new ArrayList<>(r.streams().size());
    for (String stream : r.streams()) {
      if (!sub.streams.contains(stream)) {
        sub.streams.add(stream);
        listening.add(hub.subscribe(s, sub.identifier, stream));
      }
    }
    sub.mergeState(r.istate());
    s.mergeConnectionState(r.cstate());
    Future<Void> ready = listening.isEmpty() ? Future.succeededFuture() : Future.all(listening).mapEmpty();
    return ready.compose(v -> {
      r.transmissions().forEach(s::send);
      return presence.apply(s, sub, r.presence(), this);
    }).map(v -> {
      if (r.disconnect()) {
        s.close(1000, "Command Failed");
      }
      return null;
    });
  }

  /** Runs an async command step, holding the session's later commands until it is done. */
  <T> void run(Session s, Future<T> call, Function<T, Future<Void>> then) {
    s.busy(true);
    call.compose(r -> s.closed() ? Future.succeededFuture() : then.apply(r)).onComplete(ar -> {
      if (ar.failed()) {
        failed(s, "command error: " + ar.cause().getMessage());
      }
      s.busy(false);
      drain(s);
    });
  }

  void failed(Session s, String why) {
    stats.failedClientMessages++;
    Trace.log(LOG, Level.FINE, s.sid(), () -> why);
  }
}
