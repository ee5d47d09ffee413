package io.vxcable.observability;

import java.util.function.LongSupplier;

/** {@link Metrics#NOOP}: every call does nothing. */
final class NoopMetrics implements Metrics {

  private static final Counter COUNTER = n -> { };
  /** Reads no clock either. */
  private static final Latency LATENCY = new Latency() {
    @Override
    public void recordNanos(long nanos) {}

    @Override
    public void sinceMicros(long wallClockMicros) {}
  };
  private static final Amounts AMOUNTS = amount -> { };
  private static final KeyCount KEYS = new KeyCount() {
    @Override
    public void add(String key, Object holder) {}

    @Override
    public void remove(String key, Object holder) {}

    @Override
    public boolean first(String key, Object holder) {
      return true;
    }
  };

  @Override
  public void counter(String name, String help, LongSupplier source) {}

  @Override
  public Counter counter(String name, String help) {
    return COUNTER;
  }

  @Override
  public void gauge(String name, String help, LongSupplier source) {}

  @Override
  public void intervalGauge(String name, String help, LongSupplier source) {}

  @Override
  public KeyCount keyCount(String name, String help) {
    return KEYS;
  }

  @Override
  public KeyCount holders(String name) {
    return KEYS;
  }

  @Override
  public Latency latency(String name, String help) {
    return LATENCY;
  }

  @Override
  public Amounts amounts(String name, String help) {
    return AMOUNTS;
  }

  @Override
  public boolean enabled() {
    return false;
  }
}
