package io.vxcable.session.ds;

import io.vertx.core.http.HttpServerRequest;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;

/**
 * {@code live=long-poll}: a backlog is answered at once, as a catch-up read; otherwise the read
 * waits up to {@code --ds_poll_interval} for the first message after its offset and answers
 * {@code [<data>]} with that message's {@code Stream-Next-Offset}, or 204 when none came (with
 * {@code Stream-Next-Offset} and {@code Stream-Up-To-Date}, which the Durable Streams protocol
 * asks for and anycable-go leaves out), or 410 when the server shuts down. The read listens to
 * the hub before it reads the backlog, so a message published in between is not missed.
 */
final class LongPollRead extends DsRead {

  private LiveReader reader;
  private long timer = -1;
  /** The offset to read on from while waiting; null until the read waits. */
  private String tail;

  LongPollRead(DsEndpoint endpoint, HttpServerRequest req, DsParams params) {
    super(endpoint, req, params);
  }

  @Override
  void serve() {
    DsStats stats = endpoint.stats();
    stats.requests++;
    headers(DsFormat.JSON);
    res.putHeader(DsFormat.CURSOR, endpoint.cursor().next(params.cursor()));
    reader = new LiveReader(engine.hub(), session.sid(), params.stream());
    reader.listen().compose(v -> endpoint.reads().backlog(params.stream(), params.offset())).onComplete(ar -> {
      if (finished()) {
        return;
      }
      if (ar.failed()) {
        failed(ar.cause());
        return;
      }
      StreamReads.Backlog b = ar.result();
      if (!b.messages().isEmpty()) {
        respond(200, b.messages(), b.nextOffset());
        return;
      }
      stats.polls++;
      stats.pollClients++;
      tail = b.nextOffset();
      long wait = endpoint.options().pollIntervalMs();
      long idle = endpoint.options().idleTimeoutMs();
      if (idle > 0 && wait >= idle) {
        outliveDeadlines();
      }
      timer = endpoint.vertx().setTimer(Math.max(1, wait), id -> {
        timer = -1;
        respond(204, null, tail);
      });
      reader.from(b.epoch(), b.offset(), m -> respond(200, List.of(m), DsOffset.encode(m.getOffset(), m.getEpoch())));
    });
  }

  /** Answers with the messages (none for 204) and the offset to read on from; ends the read. */
  private void respond(int status, List<StreamBroadcast> messages, String nextOffset) {
    if (finished()) {
      return;
    }
    res.putHeader(DsFormat.NEXT_OFFSET, nextOffset).putHeader(DsFormat.UP_TO_DATE, "true");
    end(status, messages == null ? null : DsFormat.jsonArray(messages));
  }

  @Override
  void closedByServer(int code) {
    // A shutdown (going away) is 410 as in anycable-go; another close (a remote disconnect) ends
    // a waiting poll empty, and the next one authenticates again.
    if (code != 1001 && tail != null) {
      respond(204, null, tail);
    } else {
      answer(410);
    }
  }

  @Override
  void release() {
    if (reader != null) {
      reader.stop();
    }
    if (timer >= 0) {
      endpoint.vertx().cancelTimer(timer);
      timer = -1;
    }
    if (tail != null) {
      endpoint.stats().pollClients--;
    }
  }
}
