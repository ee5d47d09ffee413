package io.vxcable.session;

import io.vxcable.session.spi.Reply;
import java.util.List;
import java.util.Map;

/**
 * Result of authenticating a connection.
 *
 * @param identifiers the connection identifiers (usually JSON) on success
 * @param transmissions what to tell the client, in order
 * @param cstate connection state changes (an empty value deletes a key)
 * @param disconnectInterest whether the application wants a Disconnect call for this session
 */
public record ConnectResult(
    Status status,
    String identifiers,
    List<Reply> transmissions,
    Map<String, String> cstate,
    boolean disconnectInterest) {

  public static ConnectResult success(String identifiers, Reply transmission) {
    return new ConnectResult(Status.SUCCESS, identifiers, List.of(transmission), Map.of(), false);
  }

  public static ConnectResult failure(Reply transmission) {
    return new ConnectResult(Status.FAILURE, "", List.of(transmission), Map.of(), false);
  }
}
