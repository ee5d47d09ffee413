package io.vxcable.presence;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.PresenceRecord;
import java.util.Collection;
import java.util.List;

/**
 * Responsible for who is in each stream. Contract every backend honours (checked by one shared
 * test suite, {@code PresenceContract}):
 * <ul>
 *   <li>A stream's presence is a set of ids; an id is present while at least one session holds it.
 *       A session holds at most one id per stream.</li>
 *   <li>Every change of one stream is atomic, wherever it is made: of several sessions joining
 *       with one id at once, exactly one gets the join event; of several removals of an id's last
 *       sessions (leave or expiry), exactly one gets the leave event.</li>
 *   <li>A session lives {@code presence_ttl} seconds after its last join or touch; expired
 *       sessions are removed by {@link #expire}, which the owner calls about once a second.</li>
 * </ul>
 * Futures complete on the caller's Vert.x context.
 */
public interface Presence {

  /**
   * Adds the session under {@code id} (or refreshes it) and replaces the id's info (a JSON text;
   * empty = none). The join event when the id is new on the stream, else null. Fails with a
   * {@link PresenceException} when the session already holds another id on the stream.
   */
  Future<PresenceEvent> join(String stream, String sid, String id, byte[] info);

  /** Removes the session; the leave event when it was its id's last session, else null. */
  Future<PresenceEvent> leave(String stream, String sid);

  /** The present ids with their info, in first-join order; empty for a stream with no presence. */
  Future<List<PresenceRecord>> info(String stream);

  /** Pushes back the deadline of these sessions in every stream they are in. */
  Future<Void> touch(Collection<String> sids);

  /** Removes expired sessions; the leave events of the ids that lost their last session. */
  Future<List<PresenceEvent>> expire();

  /** A change the rules refuse (the client is told why). */
  final class PresenceException extends Exception {

    /** A session joined a stream with an id other than the one it holds there. */
    public static final String ID_MISMATCH = "presence ID mismatch";

    public PresenceException(String message) {
      super(message, null, false, false);
    }
  }
}
