package io.vxcable.presence;

import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.vxcable.presence.NatsPresenceStore.Stored;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * This node's copy of the presence bucket, kept by a KV watch (every node's changes, a moment
 * late) and by this node's own writes (at once). It only picks candidates: which streams a touch
 * concerns and which streams may hold expired sessions. Every change then reads the entry afresh
 * and is a compare-and-set, so a late or stale copy costs a round trip, never a wrong event; a
 * session joined on another node less than the watch's delay before a touch misses that touch,
 * and the next one (every {@code presence_ttl / 2}) reaches it. Thread-safe; the stored values
 * are never changed once here.
 */
final class NatsPresenceMirror implements KeyValueWatcher {

  private static final Logger LOG = Logger.getLogger(NatsPresenceMirror.class.getName());

  private record Known(long revision, Stored stored) {}

  private final Map<String, Known> byKey = new HashMap<>();
  private final Map<String, Set<String>> keysOfSid = new HashMap<>();
  private final CountDownLatch loaded = new CountDownLatch(1);

  @Override
  public void watch(KeyValueEntry entry) {
    if (entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
      removed(entry.getKey(), entry.getRevision());
      return;
    }
    try {
      put(entry.getKey(), entry.getRevision(), NatsPresenceStore.decode(entry.getValue()));
    } catch (Exception e) {
      LOG.warning(() -> "a presence entry does not parse, skipped: " + entry.getKey() + ": " + e);
    }
  }

  @Override
  public void endOfData() {
    loaded.countDown();
  }

  /** Waits until the watch has delivered the bucket's entries as they were when it started. */
  boolean awaitLoaded(long timeoutMs) throws InterruptedException {
    return loaded.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Records the entry's value at {@code revision}, unless a newer one is known. */
  synchronized void put(String key, long revision, Stored stored) {
    Known known = byKey.get(key);
    if (known != null && known.revision() >= revision) {
      return;
    }
    unindex(key, known);
    byKey.put(key, new Known(revision, stored));
    for (String sid : stored.sids()) {
      keysOfSid.computeIfAbsent(sid, k -> new HashSet<>()).add(key);
    }
  }

  /** Forgets the entry, deleted at {@code revision} or later, unless a newer value is known. */
  synchronized void removed(String key, long revision) {
    Known known = byKey.get(key);
    if (known != null && known.revision() >= revision) {
      return;
    }
    unindex(key, known);
    byKey.remove(key);
  }

  /** The streams the sessions are in, each with those of the sessions it holds. */
  synchronized Map<String, List<String>> streamsOf(Collection<String> sids) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String sid : sids) {
      for (String key : keysOfSid.getOrDefault(sid, Set.of())) {
        out.computeIfAbsent(byKey.get(key).stored().stream(), k -> new ArrayList<>()).add(sid);
      }
    }
    return out;
  }

  /** The streams where a session's deadline may have passed at {@code now}. */
  synchronized List<String> expiring(long now) {
    List<String> out = new ArrayList<>();
    for (Known known : byKey.values()) {
      if (known.stored().presence().mayExpire(now)) {
        out.add(known.stored().stream());
      }
    }
    return out;
  }

  synchronized int size() {
    return byKey.size();
  }

  private void unindex(String key, Known known) {
    if (known == null) {
      return;
    }
    for (String sid : known.stored().sids()) {
      Set<String> keys = keysOfSid.get(sid);
      if (keys != null && keys.remove(key) && keys.isEmpty()) {
        keysOfSid.remove(sid);
      }
    }
  }
}
