package io.vxcable.protocol;

/** A client frame that is not a valid command: invalid JSON, not an object, or a field of the wrong type. */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
