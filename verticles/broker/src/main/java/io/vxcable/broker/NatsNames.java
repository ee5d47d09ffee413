package io.vxcable.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * How {@link NatsBroker} names things in JetStream. AnyCable stream names and session ids may hold
 * any character (spaces, dots, {@code *}, {@code >}, unicode), none of which JetStream accepts in
 * a stream name, a subject token or a key: each becomes a token of {@code [A-Za-z0-9_-]}, either
 * {@code b} + its UTF-8 bytes in unpadded base64url, or for long names {@code h} + the base64url
 * SHA-256 of those bytes (keeps names short enough for a file store's directory).
 */
final class NatsNames {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]*");
  /** Longest base64url kept verbatim; longer names are hashed. */
  static final int MAX_VERBATIM = 120;

  private final String prefix;

  /** @param prefix put before every name, {@code [A-Za-z0-9_-]*} (empty: anycable-go's names) */
  NatsNames(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("a NATS name prefix may hold only A-Z a-z 0-9 _ -, not '" + prefix + "'");
    }
    this.prefix = prefix;
  }

  /** The JetStream stream holding an AnyCable stream's history: {@code <prefix>_ac_<token>}. */
  String stream(String stream) {
    return prefix + "_ac_" + token(stream);
  }

  /** The one subject of that JetStream stream: {@code <prefix>_ac.<token>}. */
  String subject(String stream) {
    return prefix + "_ac." + token(stream);
  }

  /** Matches the subjects of every history stream under this prefix. */
  String subjects() {
    return prefix + "_ac.*";
  }

  /** The KV bucket of session snapshots, keyed by {@link #token} of the session id. */
  String sessionsBucket() {
    return prefix + "_anycable_";
  }

  /** The KV bucket holding the cluster's epoch under {@link #EPOCH_KEY}. */
  String epochBucket() {
    return prefix + "_anycable_epoch_";
  }

  static final String EPOCH_KEY = "_epoch_";

  /** A name as a non-empty token valid in JetStream names, subjects and KV keys. */
  static String token(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String verbatim = b64.encodeToString(utf8);
    if (verbatim.length() <= MAX_VERBATIM) {
      return "b" + verbatim;
    }
    try {
      return "h" + b64.encodeToString(MessageDigest.getInstance("SHA-256").digest(utf8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
