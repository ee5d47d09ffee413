package io.vxcable.session.poll;

import io.vxcable.session.RequestInfo;
import java.util.List;

/**
 * What a read poll request says, with nothing of its HTTP exchange: the headers are dropped once
 * these are taken from them.
 *
 * @param pollId {@code X-Anycable-Poll-ID}; null or empty for a first request
 * @param lines the body's JSON Lines (commands)
 * @param info what the application learns of a first request; null for a later one
 * @param sid the new session's id ({@code X-Request-ID} or random); null for a later request
 */
record PollRequest(String pollId, List<byte[]> lines, RequestInfo info, String sid) {

  boolean first() {
    return pollId == null || pollId.isEmpty();
  }
}
