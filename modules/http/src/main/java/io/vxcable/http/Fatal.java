package io.vxcable.http;

import io.vertx.core.Vertx;

/**
 * What no server survives: an {@link OutOfMemoryError}, wherever it surfaces (a handler, an event
 * loop, Netty's direct memory). A process in that state stops answering health checks and ignores
 * SIGTERM while its clients stay connected to it, so it halts at once with status 3 (the status of
 * {@code -XX:+ExitOnOutOfMemoryError}, which the launch scripts also set): a supervisor restarts it
 * and the clients reconnect elsewhere.
 */
public final class Fatal {

  /** The exit status of a halt on OutOfMemoryError (the JVM's own for ExitOnOutOfMemoryError). */
  public static final int STATUS = 3;

  private static final byte[] MESSAGE =
      ("FATAL: java.lang.OutOfMemoryError; exiting with status " + STATUS + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final java.io.FileOutputStream STDERR = new java.io.FileOutputStream(java.io.FileDescriptor.err);

  private Fatal() {}

  /** Halts when {@code error} is, or was caused by, an OutOfMemoryError; otherwise returns. */
  public static void check(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof OutOfMemoryError) {
        halt(t);
      }
    }
  }

  /** Routes uncaught exceptions of every thread and of Vert.x contexts through {@link #check}. */
  public static void watch(Vertx vertx) {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      check(error);
      if (previous != null) {
        previous.uncaughtException(thread, error);
      } else {
        error.printStackTrace();
      }
    });
    if (vertx != null) {
      vertx.exceptionHandler(error -> {
        check(error);
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.vxcable.http.Fatal");
        if (isVertxDoubleWriteReport(error)) {
          log.info(() -> "an event bus publication to several nodes met a failed node connection (Vert.x reports"
              + " the write twice; the other nodes got the message): " + error + where(error));
        } else {
          log.warning(() -> "unhandled exception: " + error + where(error));
        }
      });
    }
  }

  /**
   * Whether {@code error} looks like Vert.x 5's known double report of one clustered publication:
   * the event bus gives a message sent to several nodes one write promise and hands it to each
   * node's socket write as a listener, so when the write to one of them fails after another
   * succeeded (a node killed), the second report throws "Promise already completed" from the
   * promise itself, called back by a completed future. A promise of this project completed twice
   * the same way would match too; it is still logged, with its frames, at info level.
   */
  static boolean isVertxDoubleWriteReport(Throwable error) {
    if (!(error instanceof IllegalStateException) || !"Promise already completed".equals(error.getMessage())) {
      return false;
    }
    StackTraceElement[] frames = error.getStackTrace();
    if (frames.length == 0 || !frames[0].getClassName().equals("io.vertx.core.Promise")) {
      return false;
    }
    for (int i = 1; i < Math.min(5, frames.length); i++) {
      if (frames[i].getClassName().equals("io.vertx.core.impl.future.FutureBase")) {
        return true;
      }
    }
    return false;
  }

  /** The first frames of where {@code error} was thrown, on one line (logs keep one line per record). */
  static String where(Throwable error) {
    StackTraceElement[] frames = error.getStackTrace();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(WHERE_FRAMES, frames.length); i++) {
      out.append(i == 0 ? " at " : " < ").append(frames[i]);
    }
    return out.toString();
  }

  private static final int WHERE_FRAMES = 6;

  private static void halt(Throwable oom) {
    try {
      // Written from bytes made in advance: building a message may itself need memory.
      STDERR.write(MESSAGE);
      STDERR.flush();
      System.err.println("FATAL: " + oom);
      System.err.flush();
    } catch (Throwable ignored) {
      // Nothing more can be said.
    } finally {
      Runtime.getRuntime().halt(STATUS);
    }
  }
}
