package io.vxcable.testkit;

import java.util.List;
import java.util.Random;

/**
 * Random JSON-ish text for fuzz tests (wrap it in jqwik's {@code Arbitraries.randomValue}): mostly
 * well-formed objects whose keys come from a vocabulary, with odd strings (escapes, surrogates,
 * raw control characters), extreme numbers, nesting up to a given depth, and now and then a
 * corruption (truncation, a stray or missing character). Bounded: a document holds at most a few
 * hundred values, and only {@link #deep} goes deeper than {@code maxDepth}.
 */
public final class JsonFuzz {

  private static final String[] NUMBERS = {"0", "-0", "1", "-1", "42", "3.5", "-2.5e3", "1e400", "-1e400", "1.5e-400",
      "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
      "0.1", "1E2", "01", "1.", ".5", "+1", "NaN", "Infinity", "-", "1e", "0x10", "1_000"};
  private static final String[] ODD_TEXT = {"", " ", "\\\"", "\\\\", "\\n\\r\\t\\b\\f", "\\u0000", "\\u001b[31m", "\\ud83d\\ude00",
      "\\ud800", "\\udfff", "\\u12", "\\x41", "\\", "é✓🙂", "\u0000", "\n", "\u007f", "\u2028", "\uFEFF", "null", "{\\\"a\\\":1}",
      "subscribe", "message", "{}", "[]"};
  private static final String[] STRUCTURE = {"{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\u0000", "/*", "'", "\uFEFF"};

  private final Random r;
  private final List<String> keys;
  private int budget;

  /** @param keys the field names objects draw from (most of the time; otherwise a random string) */
  public JsonFuzz(Random r, List<String> keys) {
    this.r = r;
    this.keys = keys;
  }

  /** A JSON-ish object (sometimes another value, sometimes corrupted) nested at most {@code maxDepth} deep. */
  public String document(int maxDepth) {
    budget = 300;
    int shape = r.nextInt(20);
    String doc = shape == 0 ? value(maxDepth) : object(maxDepth);
    return r.nextInt(6) == 0 ? corrupt(doc) : doc;
  }

  /** A random JSON value (or near-value) nested at most {@code depth} deep. */
  public String value(int depth) {
    budget--;
    int kind = depth <= 0 || budget <= 0 ? r.nextInt(4) : r.nextInt(6);
    return switch (kind) {
      case 0 -> string();
      case 1 -> number();
      case 2 -> List.of("true", "false", "null", "tru", "nul").get(r.nextInt(r.nextInt(8) == 0 ? 5 : 3));
      case 3 -> r.nextBoolean() ? string() : number();
      case 4 -> object(depth);
      default -> array(depth);
    };
  }

  /** An object of 0 to 6 fields, keys mostly from the vocabulary, duplicates possible. */
  public String object(int depth) {
    StringBuilder sb = new StringBuilder("{");
    int n = r.nextInt(7);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String key = r.nextInt(5) == 0 ? text() : keys.get(r.nextInt(keys.size()));
      sb.append(space()).append('"').append(key).append('"').append(space()).append(':').append(space())
          .append(value(depth - 1));
    }
    return sb.append('}').toString();
  }

  private String array(int depth) {
    StringBuilder sb = new StringBuilder("[");
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      sb.append(i > 0 ? "," : "").append(value(depth - 1));
    }
    return sb.append(']').toString();
  }

  /** A JSON string literal: plain text, unicode, escapes, and sometimes an invalid escape or raw control character. */
  public String string() {
    return "\"" + text() + "\"";
  }

  private String text() {
    StringBuilder sb = new StringBuilder();
    int parts = r.nextInt(4);
    for (int i = 0; i < parts; i++) {
      if (r.nextBoolean()) {
        sb.append(ODD_TEXT[r.nextInt(ODD_TEXT.length)]);
      } else {
        int len = r.nextInt(12);
        for (int j = 0; j < len; j++) {
          char c = r.nextInt(4) == 0 ? (char) r.nextInt(0x10000) : (char) ('a' + r.nextInt(26));
          if (c == '"' || c == '\\') {
            sb.append('\\');
          }
          sb.append(c);
        }
      }
    }
    return sb.toString();
  }

  /** A number, often extreme (beyond long, beyond double, 1500 digits) or malformed. */
  public String number() {
    return switch (r.nextInt(30)) {
      case 0 -> "9".repeat(1 + r.nextInt(1500));
      case 1, 2, 3, 4, 5 -> Long.toString(r.nextLong());
      case 6, 7, 8, 9, 10 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
      default -> NUMBERS[r.nextInt(NUMBERS.length)];
    };
  }

  /**
   * Containers nested exactly {@code depth} deep (arrays, objects under vocabulary keys, or both)
   * around a random leaf; closed properly unless {@code closed} is false.
   */
  public String deep(int depth, boolean closed) {
    StringBuilder open = new StringBuilder();
    StringBuilder close = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (r.nextBoolean()) {
        open.append('[');
        close.append(']');
      } else {
        open.append("{\"").append(keys.get(r.nextInt(keys.size()))).append("\":");
        close.append('}');
      }
    }
    budget = 20;
    return open + value(1) + (closed ? close.reverse().toString() : close.reverse().substring(0, r.nextInt(close.length() + 1)));
  }

  /** {@code json} truncated, or with a character deleted, inserted, or duplicated. */
  public String corrupt(String json) {
    if (json.isEmpty()) {
      return STRUCTURE[r.nextInt(STRUCTURE.length)];
    }
    int at = r.nextInt(json.length());
    return switch (r.nextInt(4)) {
      case 0 -> json.substring(0, at);
      case 1 -> json.substring(0, at) + json.substring(at + 1);
      case 2 -> json.substring(0, at) + STRUCTURE[r.nextInt(STRUCTURE.length)] + json.substring(at);
      default -> json.substring(0, at) + json.charAt(at) + json.substring(at);
    };
  }

  private String space() {
    return r.nextInt(8) == 0 ? List.of(" ", "\n", "\t ", "\r\n").get(r.nextInt(4)) : "";
  }
}
