package io.vxcable.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.contracts.bus.PresenceRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of one stream's presence, without Vert.x or Hazelcast. */
class StreamPresenceTest {

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void joinsTellNewIdsKnownIdsAndMismatches() {
    StreamPresence p = new StreamPresence();
    assertThat(p.join("s1", "alice", bytes("{}"), 100)).isEqualTo(StreamPresence.Joined.NEW_ID);
    assertThat(p.join("s2", "alice", bytes("{}"), 100)).isEqualTo(StreamPresence.Joined.KNOWN_ID);
    assertThat(p.join("s1", "alice", bytes("{}"), 200)).isEqualTo(StreamPresence.Joined.KNOWN_ID);
    assertThat(p.join("s1", "bob", bytes("{}"), 200)).isEqualTo(StreamPresence.Joined.ID_MISMATCH);
    assertThat(p.records()).extracting(PresenceRecord::getId).containsExactly("alice");
  }

  @Test
  void expiryReportsTheExpiredSessionsAndTheIdsThatLeft() {
    StreamPresence p = new StreamPresence();
    p.join("s1", "alice", bytes(""), 100);
    p.join("s2", "alice", bytes(""), 300);
    p.join("s3", "bob", bytes(""), 100);
    assertThat(p.mayExpire(100)).isFalse();
    assertThat(p.expire(100).sessions()).isEmpty();
    assertThat(p.mayExpire(101)).isTrue();
    StreamPresence.Expired expired = p.expire(101);
    assertThat(expired.sessions()).containsExactlyInAnyOrder("s1", "s3");
    assertThat(expired.leftIds()).containsExactly("bob");
    assertThat(p.holds("s1")).isFalse();
    assertThat(p.mayExpire(300)).isFalse();
    assertThat(p.touch(List.of("s1", "s2"), 500)).isTrue();
    assertThat(p.expire(400).sessions()).isEmpty();
    assertThat(p.mayExpire(400)).as("exact again after a scan").isFalse();
    assertThat(p.expire(501).leftIds()).containsExactly("alice");
    assertThat(p.isEmpty()).isTrue();
    assertThat(p.touch(List.of("s2"), 900)).isFalse();
  }

  @Test
  void aStoredPresenceReadsBackTheSame() throws Exception {
    StreamPresence p = new StreamPresence();
    p.join("s1", "zoë", bytes("{\"name\":\"Zoë\"}"), 100);
    p.join("s2", "alice", bytes(""), 300);
    p.join("s3", "zoë", bytes("{\"name\":\"Zoë 2\"}"), 50);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    p.writeTo(new DataOutputStream(buf));
    StreamPresence copy = StreamPresence.readFrom(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())));
    assertThat(copy.records()).isEqualTo(p.records());
    assertThat(copy.mayExpire(50)).isFalse();
    assertThat(copy.mayExpire(51)).isTrue();
    assertThat(copy.holds("s3")).isTrue();
    assertThat(copy.join("s3", "alice", bytes(""), 400)).isEqualTo(StreamPresence.Joined.ID_MISMATCH);
    assertThat(copy.expire(51).leftIds()).isEmpty();
    assertThat(copy.expire(101).leftIds()).containsExactly("zoë");
    assertThat(copy.expire(301).leftIds()).containsExactly("alice");
  }
}
