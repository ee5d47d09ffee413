package io.vxcable.rpc;

/** A failed call: the status decides retries and how the gateway reacts. */
public final class RpcException extends RuntimeException {

  private final RpcStatus status;

  public RpcException(RpcStatus status, String message) {
    super(status + ": " + message, null, false, false);
    this.status = status;
  }

  public RpcStatus status() {
    return status;
  }
}
