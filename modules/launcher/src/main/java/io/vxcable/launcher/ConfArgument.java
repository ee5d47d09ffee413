package io.vxcable.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code vertx run … -conf <file or JSON>} checked before Vert.x starts: Vert.x's launcher only
 * logs a {@code -conf} it cannot read and goes on with an empty configuration, which would start
 * a verticle with defaults the user never asked for.
 */
final class ConfArgument {

  private ConfArgument() {}

  /** Why the {@code -conf} of these arguments cannot be used, or null (none given, or a JSON object). */
  static String problem(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!"-conf".equals(args[i]) && !"--conf".equals(args[i])) {
        continue;
      }
      if (i + 1 >= args.length) {
        return "-conf needs a file or a JSON object";
      }
      String value = args[i + 1].trim();
      Path file = Path.of(value);
      if (Files.isRegularFile(file)) {
        try {
          return parses(Files.readString(file)) ? null : "-conf " + value + ": the file does not hold a JSON object";
        } catch (IOException e) {
          return "-conf " + value + ": cannot read it (" + e.getMessage() + ")";
        }
      }
      if (value.startsWith("{")) {
        return parses(value) ? null : "-conf: not a JSON object: " + value;
      }
      return "-conf " + value + ": no such file (and not a JSON object)";
    }
    return null;
  }

  private static boolean parses(String text) {
    try {
      new JsonObject(text);
      return true;
    } catch (DecodeException | ClassCastException e) {
      return false;
    }
  }
}
