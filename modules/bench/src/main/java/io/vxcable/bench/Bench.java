package io.vxcable.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench/cable-bench <mode> [--option value ...]}: one load run against a running
 * server, one JSON line on standard output. Modes: {@code fanout}, {@code idle}, {@code connect}, {@code drops},
 * {@code soak}, {@code registry}, {@code intake}, {@code storm}, {@code profile}.
 * Common options: {@code --url} (WebSocket URL), {@code --protocol actioncable|ws},
 * {@code --target} (a label for the result), {@code --local-addresses 127.0.0.2,...}.
 */
public final class Bench {

  /** Cut connections are the point of {@code drops}: Vert.x's per-eviction warnings would drown the output. */
  private static final java.util.logging.Logger HTTP_CLIENT_LOG = java.util.logging.Logger.getLogger("io.vertx.core.http.impl");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println("usage: cable-bench fanout|idle|connect|drops|soak|registry|intake|storm|profile [--url ws://127.0.0.1:8080/cable] [--protocol actioncable|ws] ...");
      System.exit(2);
    }
    HTTP_CLIENT_LOG.setLevel(java.util.logging.Level.SEVERE);
    // The log formatter reads the time-zone database on its first record; at 19,000 sockets that
    // first record can be Netty's "too many open files", and the failed read kills the logging thread.
    java.time.ZoneId.systemDefault().getRules();
    Options o = new Options(Arrays.asList(args).subList(1, args.length));
    Progress.quiet(Boolean.parseBoolean(o.string("quiet", "false")));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(o.integer("event-loops", 2)));
    int status = 0;
    try {
      JsonObject result = switch (args[0]) {
        case "fanout" -> new Fanout(vertx, o).run();
        case "idle" -> new Idle(vertx, o).run();
        case "connect" -> new Connect(vertx, o).run();
        case "drops" -> new Drops(vertx, o).run();
        case "soak" -> new Soak(vertx, o).run();
        case "registry" -> new Registry(o).run();
        case "intake" -> new Intake(vertx, o).run();
        case "storm" -> new Storm(vertx, o).run();
        case "profile" -> new Profile(o).run();
        default -> throw new IllegalArgumentException("unknown mode: " + args[0] + " (fanout, idle, connect, drops, soak, registry, intake, storm, profile)");
      };
      System.out.println(result.encode());
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      status = 2;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    System.exit(status);
  }
}
