package io.vxcable.session.poll;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON Lines bodies of long polling: a request is split into its non-blank lines (one command
 * each; {@code \r\n} accepted, the last newline optional), and a response joins frames, each
 * followed by {@code \n}.
 */
final class JsonLines {

  private JsonLines() {}

  /** The non-blank lines of a request body, without their line ends. */
  static List<byte[]> split(Buffer body) {
    byte[] bytes = body.getBytes();
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        int end = i;
        if (end > start && bytes[end - 1] == '\r') {
          end--;
        }
        if (!blank(bytes, start, end)) {
          lines.add(Arrays.copyOfRange(bytes, start, end));
        }
        start = i + 1;
      }
    }
    return lines;
  }

  private static boolean blank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /**
   * One body of frames, each followed by {@code \n}. A frame holding a line break (an application's
   * pretty-printed JSON, delivered verbatim) would split its line: such breaks can only be JSON
   * whitespace (a JSON string cannot hold a raw control character), so they become spaces, in a
   * copy, since frames are shared with other sessions.
   */
  static Buffer join(List<byte[]> frames) {
    int size = 0;
    for (byte[] f : frames) {
      size += f.length + 1;
    }
    Buffer out = Buffer.buffer(size);
    for (byte[] f : frames) {
      out.appendBytes(withoutLineBreaks(f)).appendByte((byte) '\n');
    }
    return out;
  }

  static byte[] withoutLineBreaks(byte[] frame) {
    byte[] copy = null;
    for (int i = 0; i < frame.length; i++) {
      if (frame[i] == '\n' || frame[i] == '\r') {
        if (copy == null) {
          copy = frame.clone();
        }
        copy[i] = ' ';
      }
    }
    return copy == null ? frame : copy;
  }
}
