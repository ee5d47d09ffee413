package io.vxcable.contracts;

/**
 * Failure codes carried by {@code message.fail(code, text)} on the bus. Application outcomes
 * (SUCCESS / FAILURE / ERROR) are data in the reply, never a failure. {@code temporary} says a
 * retry may succeed.
 */
public enum BusError {
  /** The request could not be decoded or is missing a required field. */
  BAD_REQUEST(400, false),
  /** The owner refused the request: authentication or authorisation. */
  UNAUTHORIZED(401, false),
  /** The owner exists but the operation is not supported by its configuration. */
  NOT_SUPPORTED(501, false),
  /** The owner failed unexpectedly. */
  INTERNAL(500, true),
  /** A backend the owner depends on is unreachable. */
  UNAVAILABLE(503, true);

  private final int code;
  private final boolean temporary;

  BusError(int code, boolean temporary) {
    this.code = code;
    this.temporary = temporary;
  }

  public int code() {
    return code;
  }

  public boolean temporary() {
    return temporary;
  }

  public static BusError of(int code) {
    for (BusError e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return INTERNAL;
  }
}
