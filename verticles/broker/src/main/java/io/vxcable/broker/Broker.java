package io.vxcable.broker;

import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;

/**
 * Responsible for stream history and session snapshots. Contract every backend honours:
 * <ul>
 *   <li>{@link #append} is the single point that assigns a stream's positions: offsets start at 1
 *       and grow by 1 per non-transient publication of that stream, under the broker's epoch;
 *       appends of one stream are applied in call order.</li>
 *   <li>At most {@code history_limit} messages per stream are kept, none older than
 *       {@code history_ttl} seconds; a stream's offset counter survives as long as the stream is
 *       used at least once per 10 × {@code history_ttl}.</li>
 *   <li>History requests are all-or-nothing: an error means no messages.</li>
 *   <li>Session snapshots live {@code sessions_ttl} seconds after their last commit.</li>
 * </ul>
 */
public interface Broker {

  /** The broker's current epoch: a restart of a memory broker gives a new one. */
  String epoch();

  /** Stamps and stores a publication (transient ones are returned unchanged and not stored). */
  StreamBroadcast append(StreamBroadcast message);

  /** Messages with an offset greater than {@code offset}, or a {@link HistoryException}. */
  List<StreamBroadcast> historyFrom(String stream, String epoch, long offset) throws HistoryException;

  /** Messages published at or after {@code since} (unix seconds); none for an unknown stream. */
  List<StreamBroadcast> historySince(String stream, long since);

  void commitSession(String sid, byte[] state);

  /** The snapshot, or null when unknown or expired. */
  byte[] restoreSession(String sid);

  /** Drops expired messages, streams and sessions. */
  void expire();

  /** Why a history request cannot be served (the client gets {@code reject_history}). */
  final class HistoryException extends Exception {
    public HistoryException(String message) {
      super(message, null, false, false);
    }
  }
}
