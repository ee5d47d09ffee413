package io.vxcable.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** JSON text helpers for the wire protocol: string quoting and validation without a tree. */
public final class JsonText {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** {@code s} as a JSON string literal, quotes included. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    appendQuoted(sb, s);
    return sb.toString();
  }

  /**
   * Appends {@code s} as a JSON string literal: {@code "} and {@code \} escaped, control characters
   * as {@code \n \r \t \b \f} or a six-character unicode escape; everything else as is (UTF-8 on the wire).
   */
  public static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      sb.append(s, start, i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
      start = i + 1;
    }
    sb.append(s, start, n);
    sb.append('"');
  }

  /** True when {@code text} is exactly one JSON value, optionally surrounded by white space. */
  public static boolean isJson(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The {@code message} value of a broadcast as written to clients: the publication data itself
   * when it is one valid JSON value (objects stay objects, JSON string literals stay strings),
   * otherwise the data encoded as a JSON string. Computed once per publication.
   */
  public static String messageValue(String data) {
    if (isJson(data)) {
      return data.strip();
    }
    return quote(data);
  }
}
