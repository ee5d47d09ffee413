package io.vxcable.session.ds;

import io.vxcable.observability.Metrics;

/**
 * One endpoint's Durable Streams figures, plain fields its event loop changes; the metrics read
 * them (anycable-go's names; every gateway instance's add up).
 */
final class DsStats {

  /** GET reads served past authorization ({@code ds_requests_total}; HEAD is not counted, as in anycable-go). */
  long requests;
  /** Long polls that waited for a message ({@code ds_poll_requests_total}). */
  long polls;
  /** SSE reads opened ({@code ds_sse_requests_total}). */
  long sseRequests;
  /** Long polls waiting now ({@code ds_poll_clients_num}). */
  long pollClients;
  /** SSE reads open now ({@code ds_sse_clients_num}). */
  long sseClients;

  void report(Metrics m) {
    m.counter("ds_requests_total", "The total number of durable streams GET requests", () -> requests);
    m.counter("ds_poll_requests_total", "The total number of durable streams long-poll requests", () -> polls);
    m.counter("ds_sse_requests_total", "The total number of durable streams SSE requests", () -> sseRequests);
    m.gauge("ds_poll_clients_num", "The number of active durable streams long-poll clients", () -> pollClients);
    m.gauge("ds_sse_clients_num", "The number of active durable streams SSE clients", () -> sseClients);
  }
}
