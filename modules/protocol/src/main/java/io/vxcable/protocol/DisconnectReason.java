package io.vxcable.protocol;

/** The {@code reason} values of disconnect messages. */
public final class DisconnectReason {
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String TOKEN_EXPIRED = "token_expired";
  public static final String SERVER_RESTART = "server_restart";
  public static final String REMOTE = "remote";
  public static final String NO_PONG = "no_pong";
  public static final String TOO_SLOW = "too_slow";
  public static final String IDLE_TIMEOUT = "idle_timeout";

  private DisconnectReason() {}
}
