package io.vxcable.gateway;

import java.util.List;
import java.util.Map;

/**
 * Result of authenticating a connection.
 *
 * @param identifiers the connection identifiers (usually JSON) on success
 * @param transmissions frames to write verbatim, in order
 * @param cstate connection state changes (an empty value deletes a key)
 * @param disconnectInterest whether the application wants a Disconnect call for this session
 */
public record ConnectResult(
    Status status,
    String identifiers,
    List<String> transmissions,
    Map<String, String> cstate,
    boolean disconnectInterest) {

  public static ConnectResult success(String identifiers, String transmission) {
    return new ConnectResult(Status.SUCCESS, identifiers, List.of(transmission), Map.of(), false);
  }

  public static ConnectResult failure(String transmission) {
    return new ConnectResult(Status.FAILURE, "", List.of(transmission), Map.of(), false);
  }
}
