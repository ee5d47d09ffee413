package io.vxcable.bench;

import io.vertx.core.Context;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client of {@code storm}: an extended-protocol Action Cable client that keeps its session id
 * and stream position, comes back with a jittered exponential backoff whenever its connection
 * ends, resumes by {@code ?sid=} and asks for what it missed (what {@code @anycable/core} does).
 * Everything runs on its own Vert.x context.
 */
final class StormClient {

  static final String SUBPROTOCOL = "actioncable-v1-ext-json";
  private static final String IDENTIFIER = Protocol.quote(StormApp.CHANNEL);
  static final long SUBSCRIBE_RETRY_MS = 5_000;

  private final Storm storm;
  private final Context context;
  private final WebSocketClient client;
  private final URI url;
  private final BitSet seen = new BitSet();
  private final BitSet seenOffsets = new BitSet();
  volatile boolean subscribed;
  volatile long resubscribedAt;
  private ClientWebSocket socket;
  private String sid;
  private String stream;
  private String epoch;
  private long offset;
  private int attempt;
  private boolean established;
  private boolean shedNotice;
  private boolean dropping;
  private boolean confirmed;
  volatile long subscribeRetries;
  volatile boolean restored;
  volatile long duplicates;
  volatile long outOfOrder;
  volatile long lostAfterEstablished;
  volatile long shed;
  volatile long authErrors;
  volatile long connectFailures;

  StormClient(Storm storm, Context context, WebSocketClient client, URI url) {
    this.storm = storm;
    this.context = context;
    this.client = client;
    this.url = url;
  }

  void start() {
    context.runOnContext(v -> connect());
  }

  /**
   * Drops the connection now; the client comes back after its first backoff, resuming its session
   * or, with {@code forget}, as a new one (a session the server no longer has: a restart without a
   * shared broker, or past {@code --sessions_ttl}).
   */
  void drop(boolean forget) {
    context.runOnContext(v -> {
      if (forget) {
        sid = null;
      }
      dropping = true;
      established = false;
      if (socket != null && !socket.isClosed()) {
        socket.close();
      }
    });
  }

  void close() {
    context.runOnContext(v -> {
      if (socket != null && !socket.isClosed()) {
        socket.close();
      }
    });
  }

  private void connect() {
    if (storm.finished) {
      return;
    }
    String path = url.getRawPath() + (sid == null ? "" : "?sid=" + sid);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
        .setURI(path).addSubProtocol(SUBPROTOCOL);
    ClientWebSocket ws = client.webSocket();
    established = false;
    shedNotice = false;
    confirmed = false;
    ws.textMessageHandler(this::frame);
    ws.closeHandler(v -> closed(ws.closeStatusCode()));
    socket = ws;
    ws.connect(options).onFailure(err -> {
      connectFailures++;
      retry();
    });
  }

  private void closed(Short code) {
    if (storm.finished) {
      return;
    }
    if (dropping) {
      dropping = false;
      attempt = 0;
      retry();
      return;
    }
    if (code != null && code == 1011) {
      authErrors++;
    } else if (established && !shedNotice) {
      lostAfterEstablished++;
    }
    retry();
  }

  /** The field report's backoff: 200 ms, doubling up to 30 s, +-50 % jitter. */
  private void retry() {
    long base = Math.min(30_000, 200L << Math.min(attempt, 10));
    attempt++;
    long delay = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    storm.vertxTimer(context, Math.max(1, delay), this::connect);
  }

  private void frame(String frame) {
    if (frame.startsWith("{\"type\":\"ping\"")) {
      return;
    }
    if (frame.startsWith("{\"identifier\"") && frame.contains("\"message\"") && !frame.contains("\"type\"")) {
      delivery(frame);
      return;
    }
    if (frame.contains("\"type\":\"welcome\"")) {
      welcome(frame);
    } else if (frame.contains("\"type\":\"confirm_subscription\"")) {
      subscribed = true;
      confirmed = true;
      resubscribed();
    } else if (frame.contains("\"type\":\"confirm_history\"") || frame.contains("\"type\":\"reject_history\"")) {
      resubscribed();
    } else if (frame.contains("\"type\":\"disconnect\"")
        && (frame.contains("\"rate_limited\"") || frame.contains("\"overloaded\""))) {
      shed++;
      shedNotice = true;
    }
  }

  private void welcome(String frame) {
    String newSid = Drops.string(frame, "sid");
    if (newSid != null) {
      sid = newSid;
    }
    established = true;
    attempt = 0;
    if (frame.contains("\"restored\":true")) {
      if (storm.dropAt > 0) {
        restored = true;
      }
      if (epoch == null) {
        resubscribed();
      } else {
        socket.writeTextMessage("{\"command\":\"history\",\"identifier\":" + IDENTIFIER + ",\"history\":" + position() + "}");
      }
      return;
    }
    subscribe(socket);
  }

  /**
   * Subscribes, from the last position seen, and again every {@value #SUBSCRIBE_RETRY_MS} ms until
   * confirmed, as Action Cable's own client does (its subscription guarantor): a subscribe whose
   * RPC call fails gets no answer at all (anycable-go's behaviour).
   */
  private void subscribe(ClientWebSocket ws) {
    if (ws != socket || ws.isClosed() || confirmed || storm.finished) {
      return;
    }
    String history = epoch == null ? "" : ",\"history\":" + position();
    ws.writeTextMessage("{\"command\":\"subscribe\",\"identifier\":" + IDENTIFIER + history + "}");
    storm.vertxTimer(context, SUBSCRIBE_RETRY_MS, () -> {
      if (ws == socket && !ws.isClosed() && !confirmed && !storm.finished) {
        subscribeRetries++;
        subscribe(ws);
      }
    });
  }

  private void resubscribed() {
    if (storm.dropAt > 0 && resubscribedAt == 0) {
      resubscribedAt = System.nanoTime();
    }
  }

  private String position() {
    return "{\"streams\":{" + Protocol.quote(stream) + ":{\"epoch\":" + Protocol.quote(epoch) + ",\"offset\":" + offset + "}}}";
  }

  /**
   * Counts a broadcast: missing by the publisher's sequence number (what was accepted), duplicates
   * and order by the stream offset (the order the server assigned: concurrent publications can be
   * accepted in another order than their sequence numbers).
   */
  private void delivery(String frame) {
    long seq = Payload.field(frame, "seq");
    long t = Payload.field(frame, "t");
    long off = Payload.field(frame, "offset");
    if (seq <= 0) {
      return;
    }
    if (t > 0) {
      storm.latency(System.nanoTime() - t);
    }
    synchronized (seen) {
      if (off > 0 && seenOffsets.get((int) off)) {
        duplicates++;
        return;
      }
      seen.set((int) seq);
      if (off > 0) {
        seenOffsets.set((int) off);
      }
    }
    if (off > 0 && off < offset) {
      outOfOrder++;
    }
    if (off > offset) {
      offset = off;
      epoch = Drops.string(frame, "epoch");
      stream = Drops.string(frame, "stream_id");
    }
  }

  /** Accepted publications this client has not received. */
  long missing(Set<Long> accepted) {
    long n = 0;
    synchronized (seen) {
      for (long seq : accepted) {
        if (!seen.get((int) seq)) {
          n++;
        }
      }
    }
    return n;
  }
}
