package io.vxcable.session.ds;

/**
 * A Durable Streams offset as anycable-go spells it: opaque to clients, {@code <offset>::<epoch>}
 * for a position in the broker's history, with the reserved values {@code -1}, {@code 0} and the
 * empty string (the start of the retained history) and {@code now} (the current tail).
 *
 * @param kind which of the three the value names
 * @param offset the broker offset of a {@link Kind#POSITION} (unsigned); 0 otherwise
 * @param epoch the broker epoch of a {@link Kind#POSITION}, possibly empty (then unreachable); empty otherwise
 */
record DsOffset(Kind kind, long offset, String epoch) {

  /** What an offset value names. */
  public enum Kind {
    /** Everything the broker still retains ({@code -1}, {@code 0}, empty). */
    START,
    /** Nothing before the current tail ({@code now}). */
    NOW,
    /** After a position of the broker's history. */
    POSITION
  }

  private static final String SEPARATOR = "::";

  public static final DsOffset START = new DsOffset(Kind.START, 0, "");
  public static final DsOffset NOW = new DsOffset(Kind.NOW, 0, "");

  /** Thrown for a value that is neither reserved nor {@code <unsigned decimal>[::<epoch>]}. */
  public static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads a client's offset. As in anycable-go, the part before the first {@code ::} must be an
   * unsigned 64-bit decimal; the epoch is what follows up to a next {@code ::}, and may be missing.
   */
  public static DsOffset parse(String value) throws Malformed {
    if (value.isEmpty() || value.equals("0") || value.equals("-1")) {
      return START;
    }
    if (value.equals("now")) {
      return NOW;
    }
    int sep = value.indexOf(SEPARATOR);
    String digits = sep < 0 ? value : value.substring(0, sep);
    if (digits.isEmpty() || digits.length() > 20) {
      throw new Malformed("not an offset: " + value);
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new Malformed("not an offset: " + value);
      }
    }
    long offset;
    try {
      offset = Long.parseUnsignedLong(digits);
    } catch (NumberFormatException e) {
      throw new Malformed("offset out of range: " + value);
    }
    String epoch = "";
    if (sep >= 0) {
      String rest = value.substring(sep + SEPARATOR.length());
      int next = rest.indexOf(SEPARATOR);
      epoch = next < 0 ? rest : rest.substring(0, next);
    }
    return new DsOffset(Kind.POSITION, offset, epoch);
  }

  /** The offset a client reads on from: {@code <offset>::<epoch>}, or {@code 0} before any publication. */
  public static String encode(long offset, String epoch) {
    if (offset == 0 || epoch.isEmpty()) {
      return "0";
    }
    return Long.toUnsignedString(offset) + SEPARATOR + epoch;
  }
}
