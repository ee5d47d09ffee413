package io.vxcable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

class FatalTest {

  /** What Vert.x throws when a promise is completed twice, with {@code frames} as its stack. */
  static IllegalStateException doubleCompletion(StackTraceElement... frames) {
    Promise<Void> p = Promise.promise();
    p.complete();
    try {
      p.complete();
    } catch (IllegalStateException e) {
      e.setStackTrace(frames);
      return e;
    }
    throw new AssertionError("a second complete() did not throw");
  }

  @Test
  void vertxsDoubleReportOfAClusteredWriteIsRecognisedByItsStack() {
    // The frames seen at a node's death (ReliabilityIT), below them the socket write's completion.
    IllegalStateException seen = doubleCompletion(
        new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 104),
        new StackTraceElement("io.vertx.core.Promise", "complete", "Promise.java", 63),
        new StackTraceElement("io.vertx.core.impl.future.FutureBase", "lambda$emitResult$0", "FutureBase.java", 59),
        new StackTraceElement("io.vertx.core.impl.ContextBase", "execute", "ContextBase.java", 96),
        new StackTraceElement("io.vxcable.broadcast.BroadcastVerticle", "publish", "BroadcastVerticle.java", 1));
    assertThat(Fatal.isVertxDoubleWriteReport(seen)).isTrue();
  }

  @Test
  void otherExceptionsStayWarnings() {
    IllegalStateException direct = doubleCompletion(
        new StackTraceElement("io.vertx.core.impl.future.PromiseImpl", "complete", "PromiseImpl.java", 1),
        new StackTraceElement("io.vxcable.broker.BrokerVerticle", "store", "BrokerVerticle.java", 2));
    assertThat(Fatal.isVertxDoubleWriteReport(direct)).isFalse();
    assertThat(Fatal.isVertxDoubleWriteReport(new IllegalStateException("Client is closed"))).isFalse();
  }

  @Test
  void whereNamesTheFirstFramesOnOneLine() {
    IllegalStateException e = doubleCompletion(
        new StackTraceElement("a.B", "c", "B.java", 1), new StackTraceElement("d.E", "f", "E.java", 2));
    assertThat(Fatal.where(e)).isEqualTo(" at a.B.c(B.java:1) < d.E.f(E.java:2)");
  }
}
