package io.vxcable.observability;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log lines about one connection carry its session id as a field of their own ({@code sid=} in
 * text, {@code "sid"} in JSON): the id is the client's {@code X-Request-ID} when it sent one, and
 * the RPC calls the connection causes carry the same id (gRPC metadata {@code sid}, HTTP RPC header
 * {@code x-anycable-meta-sid}), so one client can be followed across gateway, RPC bridge and
 * application. The message is built only when the level is on.
 */
public final class Trace {

  /** The fields a record carries (its only parameter); formatters print them after the message. */
  public record Fields(String sid) {}

  private Trace() {}

  public static void log(Logger logger, Level level, String sid, Supplier<String> message) {
    log(logger, level, sid, message, null);
  }

  public static void log(Logger logger, Level level, String sid, Supplier<String> message, Throwable thrown) {
    if (!logger.isLoggable(level)) {
      return;
    }
    LogRecord r = new LogRecord(level, message.get());
    r.setLoggerName(logger.getName());
    r.setParameters(new Object[] {new Fields(sid == null ? "" : sid)});
    r.setThrown(thrown);
    logger.log(r);
  }

  /** A record's trace fields, or null when it has none. */
  public static Fields fields(LogRecord r) {
    Object[] p = r.getParameters();
    return p != null && p.length == 1 && p[0] instanceof Fields f ? f : null;
  }
}
