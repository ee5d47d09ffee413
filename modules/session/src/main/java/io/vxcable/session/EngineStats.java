package io.vxcable.session;

/** Counters of one engine (written on its event loop; read for metrics and tests). */
public final class EngineStats {
  long clientMessages;
  long failedClientMessages;
  long failedAuths;
  long broadcasts;
  long slowClients;

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

  /** Broadcasts received for local subscribers. */
  public long broadcasts() {
    return broadcasts;
  }

  /** Sessions closed as too slow. */
  public long slowClients() {
    return slowClients;
  }
}
