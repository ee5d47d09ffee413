package io.vxcable.session;

import io.vertx.core.Future;

/**
 * Responsible for the application side of a session: authenticating it and running its channel
 * commands. Implementations: the streams router ({@code $pubsub}, Turbo, CableReady), the RPC
 * bridge over the bus, and {@link NullController} for {@code --norpc}. A failed future is an
 * infrastructure error: the caller treats it like status ERROR.
 */
public interface Controller {

  Future<ConnectResult> connect(Session session);

  Future<CommandResult> subscribe(Session session, String identifier);

  Future<CommandResult> unsubscribe(Session session, String identifier);

  Future<CommandResult> perform(Session session, String identifier, String data);

  /** Tells the application the session is gone (fire and forget). */
  void disconnect(Session session);

  /**
   * The session closed while a call of it was under way: a call still waiting for a slot need not
   * be made (anycable-go drops it too). Nothing by default.
   */
  default void cancel(Session session) {}
}
