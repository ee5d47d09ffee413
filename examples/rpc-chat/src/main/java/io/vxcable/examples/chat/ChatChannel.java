package io.vxcable.examples.chat;

import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.EnvResponse;
import io.vxcable.contracts.rpc.Status;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * {@code ChatChannel} with a {@code room} param, written against AnyCable RPC directly: subscribe
 * streams {@code chat:<room>} and enables whispers ({@code $w}) and presence ({@code $p}) there;
 * {@code speak} broadcasts a message to the room; the channel state remembers when the user joined.
 */
final class ChatChannel {

  static final String NAME = "ChatChannel";

  private final BiConsumer<String, JsonObject> broadcast;

  /** @param broadcast publishes {@code data} to a stream (through the server's broadcast endpoint) */
  ChatChannel(BiConsumer<String, JsonObject> broadcast) {
    this.broadcast = broadcast;
  }

  static String stream(JsonObject identifier) {
    return "chat:" + identifier.getString("room", "lobby");
  }

  CommandResponse handle(CommandMessage cmd) {
    JsonObject id = new JsonObject(cmd.getIdentifier());
    String user = new JsonObject(cmd.getConnectionIdentifiers().isEmpty() ? "{}" : cmd.getConnectionIdentifiers())
        .getString("user", "someone");
    String stream = stream(id);
    CommandResponse.Builder r = CommandResponse.newBuilder().setStatus(Status.SUCCESS);
    switch (cmd.getCommand()) {
      case "subscribe" -> {
        r.addStreams(stream)
            .setEnv(EnvResponse.newBuilder().putIstate("$w", stream).putIstate("$p", stream)
                .putIstate("joined_at", Instant.now().toString()))
            .addTransmissions(new JsonObject().put("identifier", cmd.getIdentifier()).put("type", "confirm_subscription").encode());
        broadcast.accept(stream, new JsonObject().put("event", "joined").put("user", user));
      }
      case "unsubscribe" -> broadcast.accept(stream, new JsonObject().put("event", "left").put("user", user));
      case "message" -> {
        JsonObject data = new JsonObject(cmd.getData());
        if (!"speak".equals(data.getString("action"))) {
          return CommandResponse.newBuilder().setStatus(Status.ERROR).setErrorMsg("unknown action").build();
        }
        String since = cmd.getEnv().getIstateOrDefault("joined_at", "");
        broadcast.accept(stream, new JsonObject().put("event", "message").put("user", user)
            .put("text", data.getString("text", "")).put("member_since", since));
      }
      default -> r.setStatus(Status.ERROR).setErrorMsg("unknown command");
    }
    return r.build();
  }
}
