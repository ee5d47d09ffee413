package io.vxcable.backends;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnreachableTest {

  @Test
  void namesWhereItLookedWithoutThePasswordAndTheFlagThatMovesIt() {
    RedisSettings redis = new RedisSettings("redis://:s3cret@10.0.0.5:6379", List.of(), true, "", "", "", true);
    IllegalStateException e = Unreachable.redis(redis, " for presence", new ConnectException("Connection refused"));
    assertThat(e).hasMessage("--broker cannot use Redis at redis://***@10.0.0.5:6379 for presence: Connection refused;"
        + " start it, or set --redis_url").hasCauseInstanceOf(ConnectException.class);
    IllegalStateException n = Unreachable.nats(new NatsSettings(List.of("nats://10.0.0.6:4222"), false), "",
        new ConnectException("Connection refused"));
    assertThat(n).hasMessage("--broker cannot use NATS JetStream at [nats://10.0.0.6:4222] (nats-server -js): Connection refused;"
        + " start it, or set --nats_servers");
  }
}
