package io.vxcable.session;

import io.vertx.core.Future;
import io.vxcable.protocol.DisconnectReason;
import io.vxcable.session.spi.Reply;

/**
 * The controller of {@code --norpc}: connections not identified otherwise are unauthorized, unknown
 * channels are rejected, performs fail silently.
 */
final class NullController implements Controller {

  private static final Reply UNAUTHORIZED = new Reply.Disconnect(DisconnectReason.UNAUTHORIZED, false);

  @Override
  public Future<ConnectResult> connect(Session session) {
    return Future.succeededFuture(ConnectResult.failure(UNAUTHORIZED));
  }

  @Override
  public Future<CommandResult> subscribe(Session session, String identifier) {
    return Future.succeededFuture(CommandResult.rejected(new Reply.RejectSubscription(identifier)));
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
