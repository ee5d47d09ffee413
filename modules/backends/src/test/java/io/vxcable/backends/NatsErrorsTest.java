package io.vxcable.backends;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vxcable.testkit.NatsServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A NATS server that goes away is not reported at error level by the client (the connection listener says it). */
class NatsErrorsTest {

  @Test
  void aLostServerIsADebugLineNotAnError() throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    Logger ours = Logger.getLogger(NatsErrors.class.getName());
    Level before = ours.getLevel();
    root.addHandler(capture);
    ours.setLevel(Level.FINE);
    try (NatsServer nats = NatsServer.start()) {
      Connection c = Nats.connect(new NatsSettings(List.of(nats.url()), false).options("errors-test", null));
      try {
        nats.stop();
        eventually(() -> assertThat(c.getStatus()).isNotEqualTo(Connection.Status.CONNECTED));
        eventually(() -> assertThat(records).anyMatch(r -> r.getLevel() == Level.FINE
            && r.getLoggerName().equals(NatsErrors.class.getName()) && String.valueOf(r.getMessage()).contains("errors-test")));
        assertThat(records).noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue());
      } finally {
        c.close();
      }
    } finally {
      root.removeHandler(capture);
      ours.setLevel(before);
    }
  }
}
