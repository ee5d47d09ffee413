package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.observability.Metrics;
import io.vxcable.session.wire.ActionCableJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identifiers index: one session alone, several in a set, back to one, then gone. */
class SessionRegistryTest {

  private final EngineFixture fixture = new EngineFixture();
  private final SessionRegistry registry = new SessionRegistry(Metrics.NOOP.keyCount("clients_uniq_num", "test"));

  private Session session(String identifiers) {
    Session s = fixture.open(new RecordingTransport(), ActionCableJson.V1, null);
    s.authenticated(identifiers, Map.of(), false);
    registry.opened(s);
    return s;
  }

  @Test
  void sessionsSharingIdentifiersAreFoundTogetherAndCountedOnce() {
    Session a = session("{\"user\":1}");
    Session b = session("{\"user\":1}");
    Session c = session("{\"user\":2}");
    registry.identified(a);
    registry.identified(a);
    assertThat(registry.byIdentifiers("{\"user\":1}")).containsExactly(a);
    registry.identified(b);
    registry.identified(b);
    registry.identified(c);
    assertThat(registry.byIdentifiers("{\"user\":1}")).containsExactlyInAnyOrder(a, b);
    assertThat(registry.byIdentifiers("{\"user\":2}")).containsExactly(c);
    assertThat(registry.identifiedCount()).isEqualTo(3);

    registry.closed(a);
    assertThat(registry.byIdentifiers("{\"user\":1}")).containsExactly(b);
    registry.closed(a);
    assertThat(registry.identifiedCount()).isEqualTo(2);
    registry.identified(a);
    assertThat(registry.byIdentifiers("{\"user\":1}")).containsExactlyInAnyOrder(a, b);
    registry.closed(b);
    registry.closed(a);
    assertThat(registry.byIdentifiers("{\"user\":1}")).isEmpty();
    assertThat(registry.identifiedCount()).isEqualTo(1);
    registry.closed(c);
    assertThat(registry.byIdentifiers("{\"user\":2}")).isEmpty();
    assertThat(registry.identifiedCount()).isZero();
    assertThat(registry.isEmpty()).isTrue();
  }
}
