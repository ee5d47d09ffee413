package io.vxcable.session;

import io.vxcable.session.spi.EndpointContext;
import io.vxcable.session.spi.HttpEndpoint;
import io.vxcable.session.spi.HttpTransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The HTTP transports on the class path ({@link HttpTransportProvider}), found once per process. */
public final class HttpTransports {

  private static final List<HttpTransportProvider> PROVIDERS = discover();

  private HttpTransports() {}

  private static List<HttpTransportProvider> discover() {
    List<HttpTransportProvider> found = new ArrayList<>();
    ServiceLoader.load(HttpTransportProvider.class, HttpTransports.class.getClassLoader()).forEach(found::add);
    return List.copyOf(found);
  }

  /** Every enabled endpoint of every transport, for one gateway instance. */
  public static List<HttpEndpoint> endpoints(EndpointContext context) {
    List<HttpEndpoint> all = new ArrayList<>();
    for (HttpTransportProvider p : PROVIDERS) {
      all.addAll(p.endpoints(context));
    }
    return all;
  }
}
