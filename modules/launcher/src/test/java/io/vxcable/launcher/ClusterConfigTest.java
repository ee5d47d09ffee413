package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  @Test
  void aPortRangeBecomesOneMemberPerPort() {
    ClusterConfig c = new ClusterConfig("", List.of("127.0.0.1:5701-5703", "10.0.0.2", "10.0.0.3:5801", "host-a:5701"), 0, "");
    assertThat(c.members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703", "10.0.0.2",
        "10.0.0.3:5801", "host-a:5701");
    assertThat(c.hazelcast().getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703", "10.0.0.2", "10.0.0.3:5801", "host-a:5701");
  }

  @Test
  void aRangeThatIsNotOneIsLeftAsItIs() {
    assertThat(ClusterConfig.expand("10.0.0.1-5")).containsExactly("10.0.0.1-5");
    assertThat(ClusterConfig.expand("h:9-1")).containsExactly("h:9-1");
  }
}
