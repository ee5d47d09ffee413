package io.vxcable.session.sse;

/** One SSE endpoint's tallies, written on its event loop and read by the metrics exporter. */
final class SseStats {

  /** Established SSE streams ({@code sse_clients_num}). */
  volatile int live;
}
