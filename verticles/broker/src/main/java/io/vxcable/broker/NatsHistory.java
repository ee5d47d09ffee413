package io.vxcable.broker;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link NatsBroker}'s history in JetStream: one JetStream stream per AnyCable stream, whose
 * sequence is the stream's offset. Every call blocks on the network: run it on a worker thread.
 * Thread-safe.
 *
 * <p>Each message carries the appending node's clock in the {@value #AT} header; the retention
 * rules ({@code history_ttl}, the 10 × {@code history_ttl} lifetime of a stream's counter) are
 * decided with it, as the memory broker does. JetStream's own limits are only the real-time safety
 * net: {@code MaxMsgs} = {@code history_limit} (at least 1, so the last publication's time stays
 * readable), {@code MaxAge} = the lifetime + {@link #MARGIN}.
 *
 * <p>A stream idle for longer than its lifetime starts over at offset 1: the next append deletes
 * and re-creates it (JetStream cannot reset a sequence). A node that appended to a stream within
 * the lifetime remembers it ({@link #fresh}) and publishes without asking; any other append first
 * reads the stream's last message. Deleting, re-creating and the sweep's deletions of one stream
 * are serialized within the process.
 */
final class NatsHistory {

  /** JetStream's header naming a message for its duplicate window. */
  static final String MESSAGE_ID = "Nats-Msg-Id";
  /** Header with the appending node's clock (milliseconds). */
  static final String AT = "Ac-At";
  /** How much longer than the rules JetStream keeps things, for clocks that disagree. */
  static final Duration MARGIN = Duration.ofSeconds(60);
  static final long TIMEOUT_MS = 10_000;
  static final int NO_MESSAGE = 10037;
  static final int STREAM_NOT_FOUND = 10059;
  static final int STREAM_EXISTS_OTHERWISE = 10058;
  static final int WRONG_LAST_SEQUENCE = 10071;

  private final Connection connection;
  private final JetStream js;
  private final JetStreamManagement jsm;
  private final NatsNames names;
  private final int limit;
  private final long lifetimeMs;
  /** Streams this node appended to, with the clock at its last append. */
  private final Map<String, Long> fresh = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[64];

  NatsHistory(Connection connection, NatsNames names, int limit, long lifetimeMs) throws IOException {
    this.connection = connection;
    this.js = connection.jetStream();
    this.jsm = connection.jetStreamManagement();
    this.names = names;
    this.limit = limit;
    this.lifetimeMs = lifetimeMs;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * Publishes each stream's messages in list order, all streams at once; returns each stream's
   * offsets in the same order. A message with an id (null: none) that the stream stored within its
   * duplicate window is not stored again: JetStream answers with the first sequence.
   */
  Map<String, long[]> append(Map<String, List<byte[]>> byStream, Map<String, List<String>> ids, long now) throws Exception {
    for (String stream : byStream.keySet()) {
      if (!isFresh(stream, now)) {
        prepare(stream, now);
      }
    }
    Map<String, List<CompletableFuture<PublishAck>>> acks = new LinkedHashMap<>();
    byStream.forEach((stream, list) -> acks.put(stream, publish(stream, list, ids.get(stream), now)));
    Map<String, long[]> offsets = new HashMap<>();
    for (Map.Entry<String, List<CompletableFuture<PublishAck>>> e : acks.entrySet()) {
      String stream = e.getKey();
      long[] got = awaitAll(e.getValue());
      if (got == null) {
        // Nothing was stored: the stream went away since this node last used it.
        fresh.remove(stream);
        prepare(stream, now);
        got = awaitAll(publish(stream, byStream.get(stream), ids.get(stream), now));
        if (got == null) {
          throw new IOException("JetStream stream " + names.stream(stream) + " vanished twice during an append");
        }
      }
      fresh.merge(stream, now, Math::max);
      offsets.put(stream, got);
    }
    return offsets;
  }

  /**
   * The stream's retained messages from sequence {@code from} on, with its last offset and last
   * append; null when the stream is unknown or idle for longer than its lifetime.
   */
  StreamLog<byte[]> read(String stream, long from, long now) throws Exception {
    String name = names.stream(stream);
    StreamState state = state(name);
    long last = state == null ? 0 : state.getLastSequence();
    if (last == 0) {
      return null;
    }
    long lo = Math.min(last, Math.max(Math.max(state.getFirstSequence(), from), last - Math.max(limit, 1) + 1));
    List<MessageInfo> got = getAll(name, lo, last);
    if (got.isEmpty() || got.get(got.size() - 1).getSeq() != last) {
      return null; // the last message aged out: idle for longer than the lifetime
    }
    long lastAt = at(got.get(got.size() - 1));
    if (now - lastAt > lifetimeMs) {
      return null;
    }
    List<StreamLog.Entry<byte[]>> entries = new ArrayList<>(got.size());
    if (limit > 0) {
      for (MessageInfo m : got) {
        entries.add(new StreamLog.Entry<>(at(m), m.getSeq(), m.getData()));
      }
    }
    StreamLog<byte[]> log = new StreamLog<>();
    log.restore(last, lastAt, entries);
    return log;
  }

  /** The stream's last offset, 0 when unknown or idle for longer than its lifetime. */
  long position(String stream, long now) throws Exception {
    try {
      MessageInfo last = jsm.getLastMessage(names.stream(stream), names.subject(stream));
      return now - at(last) > lifetimeMs ? 0 : last.getSeq();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND || e.getApiErrorCode() == NO_MESSAGE) {
        return 0;
      }
      throw e;
    }
  }

  /** Forgets what this node appended to longer than a lifetime ago. */
  void forgetIdle(long now) {
    fresh.values().removeIf(at -> now - at > lifetimeMs);
  }

  /**
   * Deletes the streams JetStream emptied (every message older than {@code MaxAge}): idle for
   * longer than their lifetime by any clock. Returns how many.
   */
  int sweep() throws Exception {
    int deleted = 0;
    for (StreamInfo info : jsm.getStreams(names.subjects())) {
      String name = info.getConfiguration().getName();
      if (!isEmptied(info.getStreamState())) {
        continue;
      }
      synchronized (lock(name)) {
        StreamState now = state(name);
        if (now != null && isEmptied(now) && jsm.deleteStream(name)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  private static boolean isEmptied(StreamState state) {
    return state.getMsgCount() == 0 && state.getLastSequence() > 0;
  }

  private boolean isFresh(String stream, long now) {
    Long at = fresh.get(stream);
    return at != null && now - at <= lifetimeMs;
  }

  /**
   * Makes sure the stream exists and is not idle: an idle stream (last publication older than the
   * lifetime, or aged out by JetStream) is deleted and created anew, so its offsets start over.
   */
  private void prepare(String stream, long now) throws Exception {
    String name = names.stream(stream);
    synchronized (lock(name)) {
      if (isFresh(stream, now)) {
        return;
      }
      try {
        MessageInfo last = jsm.getLastMessage(name, names.subject(stream));
        long lastAt = at(last);
        if (now - lastAt <= lifetimeMs) {
          fresh.merge(stream, lastAt, Math::max);
          return;
        }
        jsm.deleteStream(name);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() == NO_MESSAGE) {
          StreamState state = state(name);
          if (state == null) {
            create(stream);
          } else if (isEmptied(state)) {
            jsm.deleteStream(name); // JetStream aged every message out: idle for longer than the lifetime
            create(stream);
          }
          // else: created and nothing published yet, or a publication landed since: in use
          return;
        } else if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
          throw e;
        }
      }
      create(stream);
    }
  }

  /** The stream's state, null when it does not exist. */
  private StreamState state(String name) throws Exception {
    try {
      return jsm.getStreamInfo(name).getStreamState();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private void create(String stream) throws Exception {
    StreamConfiguration config = StreamConfiguration.builder()
        .name(names.stream(stream))
        .subjects(names.subject(stream))
        .storageType(StorageType.File)
        .replicas(1)
        .maxMessages(Math.max(1, limit))
        .maxAge(Duration.ofMillis(lifetimeMs).plus(MARGIN))
        .duplicateWindow(Duration.ofMillis(Math.min(Broker.TAG_WINDOW_MS, lifetimeMs + MARGIN.toMillis())))
        .build();
    try {
      jsm.addStream(config);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_EXISTS_OTHERWISE) {
        throw e;
      }
      jsm.updateStream(config); // made by a node with other settings: the latest settings win
    }
  }

  private List<CompletableFuture<PublishAck>> publish(String stream, List<byte[]> messages, List<String> ids, long now) {
    PublishOptions options = PublishOptions.builder().expectedStream(names.stream(stream)).build();
    String subject = names.subject(stream);
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Headers headers = new Headers().put(AT, Long.toString(now));
      String id = ids == null ? null : ids.get(i);
      if (id != null) {
        headers.put(MESSAGE_ID, id);
      }
      acks.add(js.publishAsync(subject, headers, messages.get(i), options));
    }
    return acks;
  }

  /** The sequences given, or null when none was stored because the stream does not exist. */
  private long[] awaitAll(List<CompletableFuture<PublishAck>> acks) throws Exception {
    long[] out = new long[acks.size()];
    int missing = 0;
    Exception failure = null;
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = acks.get(i).get(TIMEOUT_MS, TimeUnit.MILLISECONDS).getSeqno();
      } catch (ExecutionException e) {
        if (isNoStream(e)) {
          missing++;
        } else if (failure == null) {
          failure = e;
        }
      }
    }
    if (missing == out.length) {
      return null;
    }
    if (failure != null || missing > 0) {
      throw new IOException("an append was stored in part", failure);
    }
    return out;
  }

  /** A publication nobody took: JetStream answers "503 no responders" when no stream has the subject. */
  private static boolean isNoStream(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("503")) {
        return true;
      }
    }
    return false;
  }

  /** Messages {@code lo..hi} that still exist, in order, all requested at once. */
  private List<MessageInfo> getAll(String name, long lo, long hi) throws Exception {
    String subject = "$JS.API.STREAM.MSG.GET." + name;
    Duration timeout = Duration.ofMillis(TIMEOUT_MS);
    List<CompletableFuture<Message>> replies = new ArrayList<>();
    for (long seq = lo; seq <= hi; seq++) {
      byte[] request = ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.US_ASCII);
      replies.add(connection.requestWithTimeout(subject, request, timeout));
    }
    List<MessageInfo> out = new ArrayList<>(replies.size());
    for (CompletableFuture<Message> reply : replies) {
      MessageInfo info = new MessageInfo(reply.get(TIMEOUT_MS, TimeUnit.MILLISECONDS), name, false);
      if (!info.hasError()) {
        out.add(info);
      } else if (info.getApiErrorCode() != NO_MESSAGE) {
        throw new JetStreamApiException(info);
      }
    }
    return out;
  }

  /** The appending node's clock, from the header; 0 (long ago) when missing. */
  static long at(MessageInfo m) {
    Headers h = m.getHeaders();
    String at = h == null ? null : h.getFirst(AT);
    try {
      return at == null ? 0 : Long.parseLong(at);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Object lock(String name) {
    return locks[Math.floorMod(name.hashCode(), locks.length)];
  }
}
