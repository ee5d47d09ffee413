package io.vxcable.session.ds;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vxcable.config.ConfigResolver;
import io.vxcable.config.Settings;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.session.HttpTransports;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.SessionOptions;
import io.vxcable.session.spi.EndpointContext;
import io.vxcable.session.spi.HttpEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider is found on the class path and mounts one endpoint tree at --ds_path, only with --ds. */
class DsProviderTest {

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  List<HttpEndpoint> endpoints(String... flags) {
    Settings s = ConfigResolver.fromCommandLine(List.of(flags), Map.of(), Path.of("/nonexistent")).settings();
    SessionEngine engine = SessionEngine.create(vertx.eventBus(), SessionOptions.from(s));
    EndpointContext context = new EndpointContext(vertx, engine, s, new AllowedOrigins(List.of()), Map.of());
    return HttpTransports.endpoints(context).stream().filter(e -> e instanceof DsEndpoint).toList();
  }

  @Test
  void durableStreamsAreMountedOnlyWhenEnabled() {
    assertThat(endpoints()).isEmpty();
    List<HttpEndpoint> on = endpoints("--ds", "--ds_path=/streams", "--broker=memory");
    assertThat(on).hasSize(1);
    assertThat(on.get(0).path()).isEqualTo("/streams");
    assertThat(on.get(0).tree()).isTrue();
    assertThat(on.get(0).description()).isEqualTo("Durable Streams requests");
  }

  @Test
  void optionsFollowTheFlags() {
    Settings s = ConfigResolver.fromCommandLine(List.of("--ds_skip_auth", "--ds_poll_interval=3", "--ds_sse_ttl=0",
        "--http_idle_timeout=9"), Map.of(), Path.of("/nonexistent")).settings();
    assertThat(DsOptions.from(s)).isEqualTo(new DsOptions("/ds", true, 3000, 60_000, 9000));
    Settings defaults = ConfigResolver.fromCommandLine(List.of(), Map.of(), Path.of("/nonexistent")).settings();
    assertThat(DsOptions.from(defaults)).isEqualTo(new DsOptions("/ds", false, 10_000, 60_000, 60_000));
  }
}
