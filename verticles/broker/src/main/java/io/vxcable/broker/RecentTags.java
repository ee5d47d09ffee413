package io.vxcable.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags of a stream's latest tagged messages with the offsets they got ({@link Broker#append(List,
 * java.util.List)}), oldest first: kept {@link Broker#TAG_WINDOW_MS} and at most {@link #MAX}, so a
 * message retried after a lost answer gets its first offset back. A tag is kept as a 64-bit hash
 * (tags are random batch ids with an index: two of one stream's last {@link #MAX} sharing a hash
 * is out of reach). Not thread-safe.
 */
final class RecentTags {

  /** Most tags kept per stream, whatever their age: bounds a busy stream's memory. */
  static final int MAX = 1024;

  /** A tagged message: its offset and when it was appended. */
  record Tagged(long offset, long at) {}

  private final LinkedHashMap<Long, Tagged> byTag = new LinkedHashMap<>();

  /** The offset the tag with this {@link #hash} got, or null when unknown. */
  Long offsetOf(long hash) {
    Tagged t = byTag.get(hash);
    return t == null ? null : t.offset();
  }

  /** Remembers the tag with this {@link #hash} (also how a stored entry is read back). */
  void put(long hash, long offset, long at) {
    byTag.put(hash, new Tagged(offset, at));
  }

  /** FNV-1a, 64 bits, over the tag's characters. */
  static long hash(String tag) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < tag.length(); i++) {
      h ^= tag.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** Forgets tags older than {@code windowMs}, then the oldest beyond {@link #MAX}. */
  void expire(long now, long windowMs) {
    var it = byTag.values().iterator();
    while (it.hasNext()) {
      Tagged t = it.next();
      if (byTag.size() <= MAX && now - t.at() <= windowMs) {
        break;
      }
      it.remove();
    }
  }

  int size() {
    return byTag.size();
  }

  /** Hash and tag, oldest first. */
  Iterable<Map.Entry<Long, Tagged>> entries() {
    return byTag.entrySet();
  }
}
