package io.vxcable.gateway;

/** Counters of one gateway instance (single-threaded; read for metrics and tests). */
final class NodeStats {
  long clientMessages;
  long failedClientMessages;
  long failedAuths;
  long broadcasts;
  long slowClients;
}
