package io.vxcable.session.poll;

import io.vxcable.observability.Metrics;
import io.vxcable.session.spi.EndpointContext;
import io.vxcable.session.spi.HttpEndpoint;
import io.vxcable.session.spi.HttpTransportProvider;
import java.util.List;

/**
 * Long polling ({@code --poll}): one {@link LongPollingEndpoint} per gateway instance on
 * {@code --poll_path}, all sharing the process's {@link PollRegistry}.
 */
public final class LongPollingProvider implements HttpTransportProvider {

  @Override
  public List<HttpEndpoint> endpoints(EndpointContext context) {
    if (!context.settings().bool("poll")) {
      return List.of();
    }
    PollOptions options = PollOptions.from(context.settings());
    PollRegistry registry = PollRegistry.of(context.vertx(), Metrics.of(context.vertx()));
    return List.of(new LongPollingEndpoint(context, options, registry));
  }
}
