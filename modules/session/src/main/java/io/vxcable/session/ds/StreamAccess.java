package io.vxcable.session.ds;

import io.vxcable.protocol.MessageVerifier;
import io.vxcable.session.SessionOptions;

/**
 * Who may read a stream: the {@code $pubsub} channel's rules. A signed stream name (the
 * {@code --streams_secret} key) opens the stream it names; an unsigned read needs
 * {@code --public_streams} (or {@code --public}). Unlike anycable-go, a signed name opens only
 * the stream of the URL: anycable-go checks the signature but then reads the URL's stream, so one
 * signed name opened every stream.
 */
final class StreamAccess {

  private final MessageVerifier verifier;
  private final boolean publicStreams;

  StreamAccess(SessionOptions options) {
    this.verifier = options.streamsSecret().isEmpty() ? null : new MessageVerifier(options.streamsSecret());
    this.publicStreams = options.publicStreams();
  }

  /** Whether {@code stream} may be read with {@code signed} (empty when the client sent none). */
  boolean allows(String stream, String signed) {
    if (signed.isEmpty()) {
      return publicStreams;
    }
    if (verifier == null) {
      return false;
    }
    return stream.equals(verifier.verify(signed));
  }
}
