package io.vxcable.session;

import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Metrics;

/**
 * What one engine reports: anycable-go's client, server, broadcast and authentication metrics read
 * from its {@link EngineStats} (plain fields of its event loop, nothing paid per message), its
 * authenticated sessions, and two things anycable-go has no metric for: how fresh broadcasts are
 * when they reach the sockets, how session restores and history requests turn out, and what
 * {@link LiveOrder} did to keep stamped broadcasts whole and in order.
 */
final class EngineMetrics {

  private final Metrics.Latency delivery;

  EngineMetrics(Metrics m, EngineStats stats, SessionRegistry registry, LiveOrder liveOrder) {
    m.intervalGauge("clients_num", "The number of active clients", registry::identifiedCount);
    m.counter("client_msg_total", "The total number of received messages from clients", () -> stats.clientMessages);
    m.counter("failed_client_msg_total", "The total number of unrecognized messages received from clients",
        () -> stats.failedClientMessages);
    m.counter("failed_auths_total", "The total number of failed authentication attempts", () -> stats.failedAuths);
    m.counter("broadcast_msg_total", "The total number of messages received through PubSub (for broadcast)",
        () -> stats.broadcasts + stats.remoteCommands);
    m.counter("remote_commands_total", "The total number of remote commands received", () -> stats.remoteCommands);
    m.counter("disconnected_slow_clients_total", "The total number of clients disconnected for being too slow",
        () -> stats.slowClients);
    m.counter("server_msg_total", "The total number of messages sent to clients",
        () -> stats.framesWritten - stats.pingsWritten);
    m.counter("failed_server_msg_total", "The total number of messages failed to send to clients", () -> stats.failedWrites);
    m.counter("timeout_server_msg_total", "The total number of messages timed out while sending to clients",
        () -> stats.stalledWrites);
    m.counter("data_sent_total", "The total amount of bytes sent to clients", () -> stats.bytesWritten);
    m.counter("data_rcvd_total", "The total amount of bytes received from clients", () -> stats.bytesReceived);
    m.counter("sessions_restored_total", "Sessions resumed from the broker's cache without authentication",
        () -> stats.restored);
    m.counter("sessions_restore_missed_total", "Restore attempts for an unknown or expired session (authenticated anew)",
        () -> stats.restoreMissed);
    m.counter("history_replayed_total", "History requests answered with the missed messages (confirm_history)",
        () -> stats.historyReplayed);
    m.counter("history_rejected_total", "History requests rejected (reject_history)", () -> stats.historyRejected);
    m.counter("broadcast_live_filled_total", "Live broadcasts that did not arrive and were sent from the broker's history",
        () -> liveOrder.filled);
    m.counter("broadcast_live_skipped_total",
        "Offsets of live broadcasts not found in the broker's history in time (what followed was sent without them)",
        () -> liveOrder.gaveUp);
    m.counter("broadcast_live_late_total", "Skipped live broadcasts that arrived later and were sent out of order",
        () -> liveOrder.late);
    m.counter("broadcast_live_overtaken_total",
        "Live broadcasts older than the first one seen of their stream, sent out of order when they came", () -> liveOrder.overtaken);
    m.counter("broadcast_live_repeats_total", "Repeated live broadcasts dropped (sent already)", () -> liveOrder.repeats);
    delivery = m.latency("broadcast_delivery_seconds",
        "Time from a publication's arrival at an intake to its write on the sockets of one engine");
  }

  /** A broadcast was handed to the sockets of this engine: its age, when the intake stamped it. */
  void delivered(StreamBroadcast m) {
    delivery.sinceMicros(m.getReceivedAtUs());
  }
}
