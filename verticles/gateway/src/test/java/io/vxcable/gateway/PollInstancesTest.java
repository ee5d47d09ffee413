package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.gateway.PollClient.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances share the port: each request comes on a connection of its own, which
 * Vert.x hands to the instances in turn, so a session's polls reach both event loops while the
 * session lives on one of them.
 */
class PollInstancesTest extends PollCase {

  @Test
  void pollsLandingOnEitherInstanceReachTheirSession() throws Exception {
    deploy(new JsonObject().put("poll_interval", 5).put("poll_flush_interval", 50), 2);
    assertThat(instances).hasSize(2);
    List<PollClient> clients = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      PollClient c = new PollClient(port, "/lp", true);
      assertThat(c.open(PollClient.subscribe(ROOM)).status()).isEqualTo(200);
      clients.add(c);
    }
    assertThat(instances).as("sessions live on both engines")
        .allSatisfy(g -> assertThat(g.engine().sessionCount()).isPositive());
    for (int round = 0; round < 4; round++) {
      broadcast("room", "{\"round\":" + round + "}");
      for (PollClient c : clients) {
        Answer a = c.poll("{\"command\":\"ping\"}");
        assertThat(a.status()).isEqualTo(200);
        List<String> lines = new ArrayList<>(a.lines());
        while (lines.stream().noneMatch(l -> l.contains("\"round\""))) {
          lines.addAll(c.poll().lines());
        }
        assertThat(lines).filteredOn(l -> l.contains("\"round\""))
            .containsExactly(new JsonObject().put("identifier", ROOM)
                .put("message", new JsonObject().put("round", round)).encode());
        assertThat(lines).contains("{\"type\":\"pong\"}");
      }
    }
    assertThat(engineSessions()).isEqualTo(6);
  }
}
