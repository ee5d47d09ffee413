package io.vxcable.protocol;

/**
 * The outcome of verifying an identification JWT.
 *
 * @param ext the {@code ext} claim when VALID and it is a JSON string; null otherwise
 */
public record JwtResult(Status status, String ext) {

  public enum Status {
    VALID,
    EXPIRED,
    INVALID
  }

  static JwtResult invalid() {
    return new JwtResult(Status.INVALID, null);
  }
}
