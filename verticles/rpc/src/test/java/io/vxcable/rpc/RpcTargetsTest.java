package io.vxcable.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RpcTargetsTest {

  @Test
  void aPlainHostIsOneAddress() {
    RpcTargets t = RpcTargets.parse("localhost:50051");
    assertThat(t.needsResolution()).isFalse();
    assertThat(t.next()).isEqualTo(SocketAddress.inetSocketAddress(50051, "localhost"));
    assertThat(t.next()).isEqualTo(t.next());
  }

  @Test
  void aGrpcListIsServedRoundRobin() {
    RpcTargets t = RpcTargets.parse("grpc-list://10.0.0.1:50051,10.0.0.2:50052");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      seen.add(t.next().toString());
    }
    assertThat(seen).containsExactlyInAnyOrder("10.0.0.1:50051", "10.0.0.2:50052");
  }

  @Test
  void aDnsTargetUsesEveryResolvedAddress() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      RpcTargets t = RpcTargets.parse("dns:///localhost:50051");
      assertThat(t.needsResolution()).isTrue();
      assertThat(t.next()).as("nothing before resolution").isNull();
      t.resolve(vertx).await(10, TimeUnit.SECONDS);
      assertThat(t.addresses()).isNotEmpty().allSatisfy(a -> assertThat(a.port()).isEqualTo(50051));
      assertThat(t.next()).isNotNull();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void malformedTargetsAreConfigErrors() {
    assertThatThrownBy(() -> RpcTargets.parse("localhost")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> RpcTargets.parse("grpc-list://")).hasMessageContaining("no address");
    assertThatThrownBy(() -> RpcTargets.parse("app:http")).hasMessageContaining("bad port");
  }
}
