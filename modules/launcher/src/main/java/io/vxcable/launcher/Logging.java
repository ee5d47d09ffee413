package io.vxcable.launcher;

import io.vxcable.observability.Trace;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * java.util.logging set up the anycable-go way: {@code --log_level} (debug, info, warn, error) and
 * {@code --log_format} (text or json), on standard output. The log manager keeps working during
 * JVM shutdown, so the graceful-shutdown lines are not lost.
 */
public final class Logging {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  /** A LogManager that ignores the reset JUL performs in its own shutdown hook. */
  public static final class KeepAliveLogManager extends LogManager {
    @Override
    public void reset() {}

    void realReset() {
      super.reset();
    }
  }

  private Logging() {}

  private static boolean installed;

  /** Must run before anything touches java.util.logging; later calls do nothing. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    System.setProperty("java.util.logging.manager", KeepAliveLogManager.class.getName());
    configure("info", "text");
  }

  public static void configure(String level, String format) {
    LogManager manager = LogManager.getLogManager();
    if (manager instanceof KeepAliveLogManager keep) {
      keep.realReset();
    } else {
      manager.reset();
    }
    Logger root = Logger.getLogger("");
    Handler handler = new StreamHandler(System.out, "json".equals(format) ? new JsonFormat() : new TextFormat()) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }

      @Override
      public synchronized void close() {
        // A StreamHandler closes its stream; standard output must outlive a reconfiguration.
        flush();
      }
    };
    Level jul = toJul(level);
    handler.setLevel(jul);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    // Our own loggers follow --log_level; libraries (Netty, Hazelcast) stay at warnings and above.
    level("io.vxcable", jul);
    level("io.vertx", jul.intValue() > Level.INFO.intValue() ? jul : Level.INFO);
    level("io.netty", Level.WARNING);
    level("com.hazelcast", Level.WARNING);
    // "CP Subsystem is not enabled. CP data structures will operate in UNSAFE mode!": vxcable uses
    // no CP structure (no cluster-wide lock or counter; the hazelcast broker and presence use maps),
    // so the warning at every start says nothing about it (docs/cluster.md).
    level("com.hazelcast.cp.CPSubsystem", Level.SEVERE);
    // Vert.x registers a per-address gauge once per handler; Micrometer warns at the second one,
    // though the shared value stays right (two gateway instances on cable.events.command).
    level("io.micrometer.core.instrument.MeterRegistry", Level.SEVERE);
  }

  /** Loggers whose level was set: held, since java.util.logging forgets a logger nobody references. */
  private static final java.util.Map<String, Logger> CONFIGURED = new java.util.concurrent.ConcurrentHashMap<>();

  private static void level(String name, Level level) {
    CONFIGURED.computeIfAbsent(name, Logger::getLogger).setLevel(level);
  }

  static Level toJul(String level) {
    return switch (level) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }

  static String levelName(Level l) {
    if (l.intValue() >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (l.intValue() >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (l.intValue() >= Level.INFO.intValue()) {
      return "INFO";
    }
    return "DEBUG";
  }

  private static String message(LogRecord r) {
    String msg = r.getMessage();
    if (r.getParameters() != null && msg != null && Trace.fields(r) == null) {
      msg = java.text.MessageFormat.format(msg, r.getParameters());
    }
    if (r.getThrown() != null) {
      msg = msg + ": " + r.getThrown();
    }
    return msg;
  }

  /**
   * {@code s} with every control character escaped as two characters ({@code \n}, {@code \r},
   * {@code \t}) or else as a six-character unicode escape (backslash, {@code u001b}): C0, DEL and
   * C1 alike, and the Unicode line and paragraph separators too, so a logged value can never start
   * a line of its own. Backslashes are left as they are.
   */
  static String escapeControls(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
      if (!control) {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** One line per record: control characters in the message, its parameters and the throwable are escaped. */
  static final class TextFormat extends Formatter {
    @Override
    public String format(LogRecord r) {
      String name = r.getLoggerName() == null ? "" : r.getLoggerName();
      String component = name.substring(name.lastIndexOf('.') + 1);
      Trace.Fields fields = Trace.fields(r);
      return TIME.format(r.getInstant()) + " " + levelName(r.getLevel()) + " " + escapeControls(String.valueOf(message(r)))
          + (fields == null ? "" : " sid=" + escapeControls(fields.sid()))
          + " component=" + escapeControls(component) + System.lineSeparator();
    }
  }

  /** One JSON object per line: JSON encoding escapes every control character of the message. */
  static final class JsonFormat extends Formatter {
    @Override
    public String format(LogRecord r) {
      io.vertx.core.json.JsonObject line = new io.vertx.core.json.JsonObject()
          .put("time", Instant.from(r.getInstant()).toString())
          .put("level", levelName(r.getLevel()))
          .put("msg", message(r));
      Trace.Fields fields = Trace.fields(r);
      if (fields != null) {
        line.put("sid", fields.sid());
      }
      return line.put("component", r.getLoggerName()).encode() + System.lineSeparator();
    }
  }
}
