package io.vxcable.session.spi;

import java.util.List;

/**
 * What the server says to a client, independent of the encoding: the session engine produces
 * replies, a {@link WireProtocol} turns them into frames. Broadcasts do not travel as replies (the
 * hub encodes them once per stream, identifier and protocol with {@link WireProtocol#broadcasts}).
 */
public sealed interface Reply {

  /** {@code welcome}: the connection is accepted; {@code restored} when a previous session was resumed. */
  record Welcome(String sid, boolean restored, List<String> restoredIds) implements Reply {
    public Welcome {
      restoredIds = List.copyOf(restoredIds);
    }

    public static Welcome of(String sid) {
      return new Welcome(sid, false, List.of());
    }
  }

  /** {@code disconnect} with anycable-go's reason ({@code unauthorized}, {@code server_restart}, ...). */
  record Disconnect(String reason, boolean reconnect) implements Reply {}

  /** {@code ping} with a timestamp in the session's precision. */
  record Ping(long timestamp) implements Reply {}

  /** {@code pong}: the answer to a client's {@code ping} command. */
  record Pong() implements Reply {}

  record ConfirmSubscription(String identifier) implements Reply {}

  record RejectSubscription(String identifier) implements Reply {}

  record ConfirmHistory(String identifier) implements Reply {}

  record RejectHistory(String identifier) implements Reply {}

  /**
   * The answer to a {@code presence} command: the total and, unless the client asked without
   * them, the records (null = left out).
   */
  record PresenceInfo(String identifier, int total, List<PresenceRecord> records) implements Reply {}

  /** One member of a presence set: its id and its info as JSON text (null when none). */
  record PresenceRecord(String id, String infoJson) {}

  /** The {@code presence} command failed (no presence support, or a presence error). */
  record PresenceError(String identifier) implements Reply {}

  /**
   * A frame the application sent (AnyCable's {@code transmissions}): JSON text by AnyCable's RPC
   * contract. A JSON protocol writes it verbatim; another protocol re-encodes it.
   */
  record Transmission(String json) implements Reply {}
}
