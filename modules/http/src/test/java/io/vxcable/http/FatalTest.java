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
    IllegalStateException fromNetty = doubleCompletion(
        new StackTraceElement("io.vertx.core.impl.future.PromiseImpl", "complete", "PromiseImpl.java", 1),
        new StackTraceElement("io.netty.util.concurrent.DefaultPromise", "notifyListeners", "DefaultPromise.java", 2));
    assertThat(Fatal.isVertxDoubleWriteReport(fromNetty)).isTrue();
  }

  @Test
  void aDoubleCompletionInThisProjectsCodeStaysAWarning() {
    IllegalStateException ours = doubleCompletion(
        new StackTraceElement("io.vertx.core.impl.future.PromiseImpl", "complete", "PromiseImpl.java", 1),
        new StackTraceElement("io.vxcable.broker.BrokerVerticle", "store", "BrokerVerticle.java", 2));
    assertThat(Fatal.isVertxDoubleWriteReport(ours)).isFalse();
    assertThat(Fatal.isVertxDoubleWriteReport(new IllegalStateException("Client is closed"))).isFalse();
  }

  @Test
  void whereNamesTheFirstFramesOnOneLine() {
    IllegalStateException e = doubleCompletion(
        new StackTraceElement("a.B", "c", "B.java", 1), new StackTraceElement("d.E", "f", "E.java", 2));
    assertThat(Fatal.where(e)).isEqualTo(" at a.B.c(B.java:1) < d.E.f(E.java:2)");
  }
}
