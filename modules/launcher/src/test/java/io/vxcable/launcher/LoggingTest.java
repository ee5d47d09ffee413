package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** A log record is always exactly one line, whatever its message, parameters or throwable hold. */
class LoggingTest {

  static final String NL = System.lineSeparator();

  static LogRecord record(String message, Object... params) {
    LogRecord r = new LogRecord(Level.INFO, message);
    r.setLoggerName("io.vxcable.gateway.Node");
    r.setParameters(params.length == 0 ? null : params);
    return r;
  }

  /** The line without its one trailing separator; fails unless the output is exactly one line. */
  static String oneLine(String formatted) {
    assertThat(formatted).endsWith(NL);
    String line = formatted.substring(0, formatted.length() - NL.length());
    assertThat(line.chars().filter(c -> c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029))
        .as("control characters left in %s", line)
        .isEmpty();
    return line;
  }

  @Test
  void aForgedLineInTheMessageStaysOnTheRecordsLine() {
    String line = oneLine(new Logging.TextFormat().format(record("x\nINFO forged line")));
    assertThat(line).contains(" INFO x\\nINFO forged line component=Node");
  }

  @Test
  void carriageReturnsTabsAndEscapesAreEscaped() {
    String line = oneLine(new Logging.TextFormat().format(record("a\rb\tc\u001b[31md\u007fe\u0085f\u2028g")));
    assertThat(line).contains("a\\rb\\tc\\u001b[31md\\u007fe\\u0085f\\u2028g");
  }

  @Test
  void parametersAreEscapedAfterFormatting() {
    String line = oneLine(new Logging.TextFormat().format(record("user {0} said {1}", "a\nb", "c\r\nd")));
    assertThat(line).contains("user a\\nb said c\\r\\nd");
  }

  @Test
  void aThrowableWhoseMessageHoldsANewlineIsEscaped() {
    LogRecord r = record("RPC failed");
    r.setThrown(new IllegalStateException("boom\nERROR forged"));
    String line = oneLine(new Logging.TextFormat().format(r));
    assertThat(line).contains("RPC failed: java.lang.IllegalStateException: boom\\nERROR forged");
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    assertThat(Logging.escapeControls("plain {\"a\":\"\\\"\"} é ✓")).isEqualTo("plain {\"a\":\"\\\"\"} é ✓");
  }

  @Test
  void theJsonFormatIsOneLineAndKeepsTheMessageIntact() {
    LogRecord r = record("x\nINFO forged line\r", "p");
    r.setThrown(new IllegalStateException("boom\nERROR forged"));
    String formatted = new Logging.JsonFormat().format(r);
    assertThat(formatted).endsWith(NL);
    String line = formatted.substring(0, formatted.length() - NL.length());
    assertThat(line).doesNotContain("\n").doesNotContain("\r");
    assertThat(new JsonObject(line).getString("msg"))
        .isEqualTo("x\nINFO forged line\r: java.lang.IllegalStateException: boom\nERROR forged");
  }

  @Test
  void traceFieldsFollowTheMessageInBothFormats() {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.vxcable.session.SessionEngine");
    java.util.List<LogRecord> seen = new java.util.ArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(LogRecord r) {
        seen.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(capture);
    try {
      io.vxcable.observability.Trace.log(logger, java.util.logging.Level.WARNING, "req-42\nx", () -> "too slow {0}");
    } finally {
      logger.removeHandler(capture);
    }
    assertThat(seen).hasSize(1);
    String text = oneLine(new Logging.TextFormat().format(seen.get(0)));
    assertThat(text).endsWith("WARN too slow {0} sid=req-42\\nx component=SessionEngine");
    String json = new Logging.JsonFormat().format(seen.get(0));
    JsonObject parsed = new JsonObject(json.substring(0, json.length() - NL.length()));
    assertThat(parsed.getString("sid")).isEqualTo("req-42\nx");
    assertThat(parsed.getString("msg")).isEqualTo("too slow {0}");
  }
}
