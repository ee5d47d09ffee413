package io.vxcable.session.ds;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a Durable Streams read asks for, checked before anything else (anycable-go answers 400
 * first): the stream (the decoded path below the prefix, never empty), the offset, the live mode
 * ({@code long-poll} or {@code sse}, which need an explicit offset), the client's cursor and the
 * signed stream name ({@code signed} query parameter, else the {@code X-Signed} header).
 *
 * @param stream the stream name
 * @param rawOffset the offset as sent ({@code -1} when absent)
 * @param offset {@code rawOffset} read
 * @param live {@link #LONG_POLL}, {@link #SSE} or empty for a catch-up read
 * @param cursor the client's {@code cursor}, empty when absent
 * @param signed the signed stream name, empty when absent
 */
record DsParams(String stream, String rawOffset, DsOffset offset, String live, String cursor, String signed) {

  public static final String LONG_POLL = "long-poll";
  public static final String SSE = "sse";

  /** A request anycable-go answers with 400. */
  public static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads a request's parameters.
   *
   * @param prefix the mount path ({@code /ds})
   * @param rawPath the request's path, still percent-encoded
   * @param offset the first {@code offset} query value, or null
   * @param live the first {@code live} query value, or null
   * @param cursor the first {@code cursor} query value, or null
   * @param signedParam the first {@code signed} query value, or null
   * @param signedHeader the {@code X-Signed} header, or null
   */
  public static DsParams parse(String prefix, String rawPath, String offset, String live, String cursor,
      String signedParam, String signedHeader) throws BadRequest {
    String stream = streamOf(prefix, rawPath);
    if (stream.isEmpty()) {
      throw new BadRequest("stream is missing in the URL");
    }
    String mode = live == null ? "" : live;
    if (!mode.isEmpty() && !mode.equals(LONG_POLL) && !mode.equals(SSE)) {
      throw new BadRequest("invalid live mode: " + mode);
    }
    String raw = offset == null ? "" : offset;
    if (raw.isEmpty() && !mode.isEmpty()) {
      throw new BadRequest("offset is missing for live mode");
    }
    if (raw.isEmpty()) {
      raw = "-1";
    }
    DsOffset parsed;
    try {
      parsed = DsOffset.parse(raw);
    } catch (DsOffset.Malformed e) {
      throw new BadRequest(e.getMessage());
    }
    String signed = signedParam == null || signedParam.isEmpty() ? signedHeader : signedParam;
    return new DsParams(stream, raw, parsed, mode, cursor == null ? "" : cursor, signed == null ? "" : signed);
  }

  /** Whether the read waits for live messages. */
  public boolean isLive() {
    return !live.isEmpty();
  }

  /** The decoded path below {@code prefix}, one leading slash dropped (anycable-go's rule). */
  static String streamOf(String prefix, String rawPath) throws BadRequest {
    String path = decode(rawPath);
    String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    if (!path.startsWith(base)) {
      return "";
    }
    String rest = path.substring(base.length());
    return rest.startsWith("/") ? rest.substring(1) : rest;
  }

  /** Percent-decodes a path as UTF-8 ({@code +} stays a plus sign); a broken escape is a bad request. */
  static String decode(String raw) throws BadRequest {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != '%') {
        out.write(b);
        continue;
      }
      if (i + 2 >= bytes.length) {
        throw new BadRequest("broken escape in " + raw);
      }
      int hi = Character.digit(bytes[i + 1], 16);
      int lo = Character.digit(bytes[i + 2], 16);
      if (hi < 0 || lo < 0) {
        throw new BadRequest("broken escape in " + raw);
      }
      out.write(hi << 4 | lo);
      i += 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
