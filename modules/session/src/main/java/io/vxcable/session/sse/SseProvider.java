package io.vxcable.session.sse;

import io.vxcable.observability.Metrics;
import io.vxcable.session.spi.EndpointContext;
import io.vxcable.session.spi.HttpEndpoint;
import io.vxcable.session.spi.HttpTransportProvider;
import java.util.List;

/** Server-Sent Events on {@code --sse_path} when {@code --sse} is set. */
public final class SseProvider implements HttpTransportProvider {

  @Override
  public List<HttpEndpoint> endpoints(EndpointContext context) {
    if (!context.settings().bool("sse")) {
      return List.of();
    }
    SseStats stats = new SseStats();
    Metrics.of(context.vertx()).intervalGauge("sse_clients_num", "The number of active SSE clients", () -> stats.live);
    return List.of(new SseEndpoint(context.engine(), context.settings().string("sse_path"), context.origins(),
        context.responseHeaders(), stats));
  }
}
