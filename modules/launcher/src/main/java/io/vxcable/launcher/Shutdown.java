package io.vxcable.launcher;

import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * anycable-go's shutdown: the first SIGTERM or SIGINT closes Vert.x gracefully (gateways tell
 * their clients {@code server_restart}) and exits 0; a second signal exits at once. A shutdown
 * hook covers every other way the JVM can stop.
 */
final class Shutdown {

  private static final Logger LOG = Logger.getLogger(Shutdown.class.getName());

  private final Vertx vertx;
  private final Deployments deployments;
  private final long timeoutSeconds;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean signalled = new AtomicBoolean();

  Shutdown(Vertx vertx, Deployments deployments, long timeoutSeconds) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.timeoutSeconds = timeoutSeconds;
  }

  void install() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        handle(name);
      } catch (ReflectiveOperationException | RuntimeException e) {
        Throwable cause = e instanceof InvocationTargetException t ? t.getCause() : e;
        LOG.fine(() -> "cannot handle SIG" + name + ": " + cause);
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::closeGracefully, "vxcable-shutdown-hook"));
  }

  /**
   * Routes signal {@code name} to {@link #onSignal}. The JDK's signal API ({@code sun.misc.Signal}
   * in module jdk.unsupported, still the only one) is reached by reflection, so the build does not
   * warn about an internal API on every compilation.
   */
  private void handle(String name) throws ReflectiveOperationException {
    Class<?> signal = Class.forName("sun.misc.Signal");
    Class<?> handler = Class.forName("sun.misc.SignalHandler");
    Object onSignal = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, method, args) ->
        switch (method.getName()) {
          case "handle" -> {
            onSignal();
            yield null;
          }
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "vxcable SIG" + name + " handler";
        });
    signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance(name), onSignal);
  }

  /**
   * The start failed and the caller closes Vert.x and exits itself: the hook must not try to
   * undeploy on a closing Vert.x (which only adds a misleading "did not finish" warning).
   */
  void abandon() {
    started.set(true);
  }

  private void onSignal() {
    if (!signalled.compareAndSet(false, true)) {
      LOG.warning("Second signal: exiting immediately");
      Runtime.getRuntime().halt(1);
    }
    Thread t = new Thread(() -> {
      closeGracefully();
      System.exit(0);
    }, "vxcable-shutdown");
    t.start();
  }

  private void closeGracefully() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Shutting down... (hit Ctrl-C to stop immediately)");
    try {
      deployments.undeployInReverse(vertx).eventually(() -> vertx.close()).await(timeoutSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning("Shutdown did not finish in time: " + e);
    }
    LOG.info("Server stopped");
  }
}
