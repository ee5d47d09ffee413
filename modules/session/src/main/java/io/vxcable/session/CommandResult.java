package io.vxcable.session;

import io.vxcable.session.spi.Reply;
import java.util.List;
import java.util.Map;

/**
 * Result of a subscribe, unsubscribe or perform, mirroring AnyCable's {@code CommandResponse}.
 *
 * @param transmissions what to tell the client, in order, after the streams changed
 * @param streams streams to add to the subscription
 * @param stoppedStreams streams to remove from the subscription
 * @param stopStreams remove every stream of the subscription
 * @param disconnect close the connection once the rest is applied
 * @param istate channel state changes (an empty value deletes a key)
 * @param cstate connection state changes
 * @param disconnectInterest whether the application wants a Disconnect call for this session
 * @param presence a presence join or leave the application asks for on the subscription's
 *     presence stream; null when none
 */
public record CommandResult(
    Status status,
    List<Reply> transmissions,
    List<String> streams,
    List<String> stoppedStreams,
    boolean stopStreams,
    boolean disconnect,
    Map<String, String> istate,
    Map<String, String> cstate,
    boolean disconnectInterest,
    PresenceChange presence) {

  /** A presence change from the application: join with an id and info (JSON text or null), or leave. */
  public record PresenceChange(boolean join, String id, String infoJson) {}

  public static CommandResult error() {
    return new CommandResult(Status.ERROR, List.of(), List.of(), List.of(), false, false, Map.of(), Map.of(), false, null);
  }

  public static CommandResult rejected(Reply transmission) {
    return new CommandResult(
        Status.FAILURE, List.of(transmission), List.of(), List.of(), false, false, Map.of(), Map.of(), false, null);
  }

  public static CommandResult subscribed(Reply transmission, String stream, Map<String, String> istate) {
    return new CommandResult(
        Status.SUCCESS, List.of(transmission), List.of(stream), List.of(), false, false, istate, Map.of(), false, null);
  }

  public static CommandResult stopAll() {
    return new CommandResult(Status.SUCCESS, List.of(), List.of(), List.of(), true, false, Map.of(), Map.of(), false, null);
  }
}
