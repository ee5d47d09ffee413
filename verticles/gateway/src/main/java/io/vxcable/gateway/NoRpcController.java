package io.vxcable.gateway;

import io.vertx.core.Future;

/**
 * Stands in for the RPC bridge until it is deployed: every application call fails, which a client
 * sees exactly as anycable-go with an unreachable RPC server (close 1011 "Auth Error" on connect,
 * silence on commands). Identification by JWT, {@code --noauth} and the streams channels still work.
 */
final class NoRpcController implements Controller {

  private static final String WHY = "no RPC bridge in this build: use --norpc, --noauth/--public or JWT";

  @Override
  public Future<ConnectResult> connect(Session session) {
    return Future.failedFuture(WHY);
  }

  @Override
  public Future<CommandResult> subscribe(Session session, String identifier) {
    return Future.failedFuture(WHY);
  }

  @Override
  public Future<CommandResult> unsubscribe(Session session, String identifier) {
    return Future.failedFuture(WHY);
  }

  @Override
  public Future<CommandResult> perform(Session session, String identifier, String data) {
    return Future.failedFuture(WHY);
  }

  @Override
  public void disconnect(Session session) {}
}
