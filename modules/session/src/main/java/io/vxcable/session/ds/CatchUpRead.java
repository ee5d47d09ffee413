package io.vxcable.session.ds;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * HEAD and catch-up reads: no live messages, so the read never listens to the hub. HEAD answers
 * the stream's tail in {@code Stream-Next-Offset} ({@code 0} before any publication); a GET
 * answers the backlog of its offset as a JSON array with {@code Stream-Next-Offset} (the last
 * message's position, else where the read stood), {@code Stream-Up-To-Date} and
 * {@code Stream-Cursor}. An offset the broker cannot serve (evicted, ahead, another epoch) is 410.
 */
final class CatchUpRead extends DsRead {

  CatchUpRead(DsEndpoint endpoint, HttpServerRequest req, DsParams params) {
    super(endpoint, req, params);
  }

  @Override
  void serve() {
    if (req.method() == HttpMethod.HEAD) {
      endpoint.reads().position(params.stream()).onComplete(ar -> {
        if (finished()) {
          return;
        }
        if (ar.failed()) {
          failed(ar.cause());
          return;
        }
        headers(DsFormat.HEAD);
        res.putHeader(DsFormat.NEXT_OFFSET, DsOffset.encode(ar.result().getOffset(), ar.result().getEpoch()));
        answer(200);
      });
      return;
    }
    endpoint.stats().requests++;
    headers(DsFormat.JSON);
    res.putHeader(DsFormat.CURSOR, endpoint.cursor().next(params.cursor()));
    endpoint.reads().backlog(params.stream(), params.offset()).onComplete(ar -> {
      if (finished()) {
        return;
      }
      if (ar.failed()) {
        failed(ar.cause());
        return;
      }
      StreamReads.Backlog b = ar.result();
      res.putHeader(DsFormat.NEXT_OFFSET, b.nextOffset()).putHeader(DsFormat.UP_TO_DATE, "true");
      res.setStatusCode(200).end(DsFormat.jsonArray(b.messages()));
      finish();
    });
  }

  @Override
  void closedByServer(int code) {
    // Shut down (or disconnected) before the broker answered: 410, as a waiting long poll gets.
    answer(410);
  }
}
