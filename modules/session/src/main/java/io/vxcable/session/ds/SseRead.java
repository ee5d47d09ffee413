package io.vxcable.session.ds;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * {@code live=sse}: the backlog as one {@code event: data} (when there is one) and an
 * {@code event: control} with {@code streamNextOffset}, {@code streamCursor} and
 * {@code upToDate: true}, then each live message as a data event and a control event without
 * {@code upToDate}, until {@code --ds_sse_ttl} ends the stream (the client reconnects from its
 * last offset). Unlike anycable-go, the first control event is sent even when the backlog is
 * empty, so a reader learns at once that it is caught up and where it stands. The read listens to
 * the hub before it reads the backlog, so nothing published in between is missed; a reader that
 * does not keep up (its response's write queue is full) is cut off and resumes from its offset.
 */
final class SseRead extends DsRead {

  private LiveReader reader;
  private long timer = -1;
  private boolean counted;
  private String cursor;

  SseRead(DsEndpoint endpoint, HttpServerRequest req, DsParams params) {
    super(endpoint, req, params);
  }

  @Override
  void serve() {
    DsStats stats = endpoint.stats();
    stats.requests++;
    stats.sseRequests++;
    stats.sseClients++;
    counted = true;
    if (req.version() != HttpVersion.HTTP_2) {
      res.putHeader("Connection", "keep-alive");
    }
    headers(DsFormat.SSE);
    cursor = endpoint.cursor().next(params.cursor());
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
      outliveDeadlines();
      long maxPending = engine.options().maxPendingSize();
      if (maxPending > 0) {
        res.setWriteQueueMaxSize((int) Math.min(Integer.MAX_VALUE, maxPending));
      }
      res.setStatusCode(200).setChunked(true);
      Buffer first = Buffer.buffer();
      if (!b.messages().isEmpty()) {
        first.appendBuffer(DsFormat.dataEvent(b.messages()));
      }
      write(first.appendBuffer(DsFormat.controlEvent(b.nextOffset(), cursor, true)));
      timer = endpoint.vertx().setTimer(endpoint.options().sseTtlMs(), id -> {
        timer = -1;
        end(200, null);
      });
      boolean complete = reader.from(b.epoch(), b.offset(), m -> write(DsFormat.dataEvent(List.of(m))
          .appendBuffer(DsFormat.controlEvent(DsOffset.encode(m.getOffset(), m.getEpoch()), cursor, false))));
      if (!complete) {
        // More came while the backlog was read than was kept: the client resumes from what it got.
        end(200, null);
      }
    });
  }

  private void write(Buffer events) {
    if (finished()) {
      return;
    }
    res.write(events);
    if (res.writeQueueFull()) {
      // Too slow: drop the connection rather than hold more for it.
      req.connection().close();
      finish();
    }
  }

  @Override
  void closedByServer(int code) {
    // Before the stream started this is a refusal (410, as a long poll gets); after, the end.
    end(410, null);
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
    if (counted) {
      counted = false;
      endpoint.stats().sseClients--;
    }
  }
}
