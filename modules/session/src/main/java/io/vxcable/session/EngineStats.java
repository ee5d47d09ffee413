package io.vxcable.session;

/** Counters of one engine (written on its event loop; read for metrics and tests). */
public final class EngineStats {
  long clientMessages;
  long failedClientMessages;
  long failedAuths;
  long broadcasts;
  long slowClients;
  long remoteCommands;
  long bytesReceived;
  long framesWritten;
  long pingsWritten;
  long bytesWritten;
  long failedWrites;
  long stalledWrites;
  long restored;
  long restoreMissed;
  long historyReplayed;
  long historyRejected;

  void wrote(int length) {
    framesWritten++;
    bytesWritten += length;
  }

  /** Commands decoded from clients. */
  public long clientMessages() {
    return clientMessages;
  }

  /** Frames that did not decode, and commands that failed. */
  public long failedClientMessages() {
    return failedClientMessages;
  }

  /** Connections the application or the JWT check refused. */
  public long failedAuths() {
    return failedAuths;
  }

  /** Broadcasts for local subscribers, counted by the first engine of the process holding their stream. */
  public long broadcasts() {
    return broadcasts;
  }

  /** Sessions closed as too slow. */
  public long slowClients() {
    return slowClients;
  }
}
