package io.vxcable.presence;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.regex.Pattern;

/**
 * {@link NatsPresence}'s streams in a JetStream KV bucket: one entry per stream, key
 * {@link #key}, value the stream's name, its sessions and its {@link StreamPresence}. Every change
 * is a compare-and-set on the entry's revision, retried on conflict, so changes of one stream are
 * atomic across nodes. Calls block on the network: run them on a worker thread. Thread-safe.
 */
final class NatsPresenceStore {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]*");
  static final int WRONG_LAST_SEQUENCE = 10071;
  static final int STREAM_EXISTS_OTHERWISE = 10058;
  /** Attempts of one change before giving up (each failed one means another node's change went in). */
  static final int MAX_ATTEMPTS = 1000;

  /** A stream's stored presence; changes mutate it before it is written. */
  record Stored(String stream, LinkedHashSet<String> sids, StreamPresence presence) {}

  /** What a change computed, and whether to store the changed presence. */
  record Outcome<R>(R result, boolean write) {}

  interface Change<R> {
    Outcome<R> apply(Stored current);
  }

  private final KeyValue kv;
  private final NatsPresenceMirror mirror;

  NatsPresenceStore(KeyValue kv, NatsPresenceMirror mirror) {
    this.kv = kv;
    this.mirror = mirror;
  }

  /** The bucket under {@code prefix} ({@code [A-Za-z0-9_-]*}): {@code <prefix>_anycable_presence_}. */
  static String bucket(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("a NATS name prefix may hold only A-Z a-z 0-9 _ -, not '" + prefix + "'");
    }
    return prefix + "_anycable_presence_";
  }

  /**
   * A stream's key, valid whatever the stream's characters: {@code b} + its UTF-8 in unpadded
   * base64url, or {@code h} + the base64url SHA-256 of it for long names.
   */
  static String key(String stream) {
    byte[] utf8 = stream.getBytes(StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String verbatim = b64.encodeToString(utf8);
    if (verbatim.length() <= 120) {
      return "b" + verbatim;
    }
    try {
      return "h" + b64.encodeToString(MessageDigest.getInstance("SHA-256").digest(utf8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The stream's presence as stored now, or null when it has none. */
  Stored read(String stream) throws Exception {
    KeyValueEntry e = kv.get(key(stream));
    return e == null || e.getValue() == null ? null : decode(e.getValue());
  }

  /**
   * Applies {@code change} to the stream's current presence and stores the result when the change
   * asks to, unless another node changed the stream meanwhile: then it starts over from the newer
   * presence. An emptied presence deletes the entry.
   */
  <R> R change(String stream, Change<R> change) throws Exception {
    String key = key(stream);
    for (int attempt = 1; ; attempt++) {
      KeyValueEntry e = kv.get(key);
      boolean live = e != null && e.getValue() != null;
      Stored current = live ? decode(e.getValue()) : new Stored(stream, new LinkedHashSet<>(), new StreamPresence());
      Outcome<R> outcome = change.apply(current);
      if (!outcome.write() || !live && current.presence().isEmpty()) {
        return outcome.result();
      }
      try {
        if (current.presence().isEmpty()) {
          kv.delete(key, e.getRevision());
          mirror.removed(key, e.getRevision() + 1);
        } else {
          byte[] value = encode(current);
          long revision = live ? kv.update(key, value, e.getRevision()) : kv.create(key, value);
          // A decoded copy: its earliest deadline is exact, where the changed one's is a lower bound.
          mirror.put(key, revision, decode(value));
        }
        return outcome.result();
      } catch (JetStreamApiException conflict) {
        if (conflict.getApiErrorCode() != WRONG_LAST_SEQUENCE || attempt >= MAX_ATTEMPTS) {
          throw conflict;
        }
      }
    }
  }

  static byte[] encode(Stored s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * s.sids().size());
    DataOutputStream out = new DataOutputStream(bytes);
    writeString(out, s.stream());
    out.writeInt(s.sids().size());
    for (String sid : s.sids()) {
      writeString(out, sid);
    }
    s.presence().writeTo(out);
    out.flush();
    return bytes.toByteArray();
  }

  static Stored decode(byte[] value) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
    String stream = readString(in);
    int n = in.readInt();
    LinkedHashSet<String> sids = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      sids.add(readString(in));
    }
    return new Stored(stream, sids, StreamPresence.readFrom(in));
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
