package io.vxcable.session.ds;

import io.vxcable.config.Settings;
import io.vxcable.observability.Metrics;
import io.vxcable.session.spi.EndpointContext;
import io.vxcable.session.spi.HttpEndpoint;
import io.vxcable.session.spi.HttpTransportProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The Durable Streams read API ({@code --ds}) on the gateway's main port: one {@link DsEndpoint}
 * per gateway instance at {@code --ds_path} and below. Reads come from the broker's history, so a
 * broker is needed ({@code --broker=memory|hazelcast}); without one every read is answered 500,
 * as anycable-go does without a broker.
 */
public final class DurableStreamsProvider implements HttpTransportProvider {

  private static final Logger LOG = Logger.getLogger(DurableStreamsProvider.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  @Override
  public List<HttpEndpoint> endpoints(EndpointContext context) {
    Settings s = context.settings();
    if (!s.bool("ds")) {
      return List.of();
    }
    if ((s.string("broker").isEmpty() || s.string("broker").equals("none")) && WARNED.compareAndSet(false, true)) {
      LOG.warning("Durable Streams need a broker (--broker=memory or hazelcast): every read will fail");
    }
    DsStats stats = new DsStats();
    stats.report(Metrics.of(context.vertx()));
    return List.of(new DsEndpoint(context.vertx(), context.engine(), DsOptions.from(s), context.origins(),
        context.responseHeaders(), stats));
  }
}
