package io.vxcable.backends;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * A Lua script run with {@code EVALSHA}, falling back to {@code EVAL} when the server does not
 * know it (a restarted or flushed Redis), so a call is one round trip in the usual case.
 */
public final class RedisScript {

  private final String text;
  private final String sha;

  public RedisScript(String text) {
    this.text = text;
    this.sha = sha1(text);
  }

  /** Loads the script (and so checks it compiles); the server then knows it until it restarts. */
  public Future<Void> load(Redis client) {
    return client.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(text)).mapEmpty();
  }

  /**
   * Runs the script; {@code args} adds the {@code keys} key names first, then the arguments. It is
   * called again for the {@code EVAL} fallback, so it must add the same every time.
   */
  public Future<Response> run(Redis client, int keys, Consumer<Request> args) {
    return client.send(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
      String message = err.getMessage();
      if (message != null && message.startsWith("NOSCRIPT")) {
        return client.send(request(Command.EVAL, text, keys, args));
      }
      return Future.failedFuture(err);
    });
  }

  private static Request request(Command command, String script, int keys, Consumer<Request> args) {
    Request r = Request.cmd(command).arg(script).arg(keys);
    args.accept(r);
    return r;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-1 in this JVM", e);
    }
  }
}
