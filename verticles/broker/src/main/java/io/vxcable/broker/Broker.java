package io.vxcable.broker;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;

/**
 * Responsible for stream history and session snapshots. Contract every backend honours (checked
 * by one shared test suite):
 * <ul>
 *   <li>{@link #append} is the single point that assigns a stream's positions: offsets start at 1
 *       and grow by 1 per non-transient publication of that stream, under the broker's epoch;
 *       one call's messages get consecutive offsets in list order, and calls for one stream whose
 *       futures are awaited one after the other are applied in that order.</li>
 *   <li>At most {@code history_limit} messages per stream are kept, none older than
 *       {@code history_ttl} seconds; a stream's offset counter survives as long as the stream is
 *       used at least once per 10 × {@code history_ttl}.</li>
 *   <li>History requests are all-or-nothing: a failed future ({@link HistoryException}) means no
 *       messages.</li>
 *   <li>Session snapshots live {@code sessions_ttl} seconds after their last commit
 *       ({@code 0}: none are kept).</li>
 * </ul>
 * Futures complete on the caller's Vert.x context.
 */
public interface Broker {

  /** The broker's epoch: a memory broker's changes on every start, a cluster's lives with the cluster. */
  String epoch();

  /**
   * Stamps and stores publications (of any streams; one stream's in list order); transient ones
   * are returned unchanged and not stored. The result has the input's order. Backends apply one
   * call in as few round trips as they can, so callers should batch.
   */
  Future<List<StreamBroadcast>> append(List<StreamBroadcast> messages);

  /**
   * As {@link #append(List)}, where {@code tags.get(i)} (null: none) names message {@code i} across
   * retries of one publication. A backend whose answer can be lost after it stored (an external
   * service that closes the connection, a cluster member that dies before it answers) stores a
   * tagged message at most once within {@link #TAG_WINDOW_MS} and answers a repeat with the offset
   * it gave first. The memory backend ignores tags: its answer cannot be lost, and the broker
   * verticle answers a retried batch it knows from its own memory.
   */
  default Future<List<StreamBroadcast>> append(List<StreamBroadcast> messages, List<String> tags) {
    return append(messages);
  }

  /** How long a backend remembers a tagged message: longer than the intake retries a batch (15 s). */
  long TAG_WINDOW_MS = 30_000;

  /** Messages with an offset greater than {@code offset}, or a failed {@link HistoryException}. */
  Future<List<StreamBroadcast>> historyFrom(String stream, String epoch, long offset);

  /** Messages published at or after {@code since} (unix seconds); none for an unknown stream. */
  Future<List<StreamBroadcast>> historySince(String stream, long since);

  /**
   * The offset of the stream's last publication under {@link #epoch()}, whether or not its message
   * is still retained; 0 when nothing was published in the stream, or the stream was forgotten
   * after 10 × {@code history_ttl} without a publication (its next publication gets offset 1).
   */
  Future<Long> position(String stream);

  Future<Void> commitSession(String sid, byte[] state);

  /** The snapshot, or null when unknown or expired. */
  Future<byte[]> restoreSession(String sid);

  /** Drops expired messages, streams and sessions the backend does not expire by itself. */
  void expire();

  /** Why a history request cannot be served (the client gets {@code reject_history}). */
  final class HistoryException extends Exception {
    public HistoryException(String message) {
      super(message, null, false, false);
    }
  }
}
