package io.vxcable.gateway;

import io.vertx.core.Future;
import io.vxcable.protocol.DisconnectReason;
import io.vxcable.protocol.Replies;

/**
 * The controller of {@code --norpc}: connections not identified otherwise are unauthorized, unknown
 * channels are rejected, performs fail silently.
 */
final class NullController implements Controller {

  private static final String UNAUTHORIZED = Replies.disconnect(DisconnectReason.UNAUTHORIZED, false);

  @Override
  public Future<ConnectResult> connect(Session session) {
    return Future.succeededFuture(ConnectResult.failure(UNAUTHORIZED));
  }

  @Override
  public Future<CommandResult> subscribe(Session session, String identifier) {
    return Future.succeededFuture(CommandResult.rejected(Replies.rejectSubscription(identifier)));
  }

  @Override
  public Future<CommandResult> unsubscribe(Session session, String identifier) {
    return Future.failedFuture("not implemented");
  }

  @Override
  public Future<CommandResult> perform(Session session, String identifier, String data) {
    return Future.failedFuture("not implemented");
  }

  @Override
  public void disconnect(Session session) {}
}
