package io.vxcable.backends;

/**
 * Why a verticle that keeps state in Redis or NATS (the broker, presence) cannot start: where it
 * looked and the flag that moves it, e.g. {@code --broker cannot use Redis at redis://10.0.0.5:6379:
 * Connection refused; start it, or set --redis_url}.
 */
public final class Unreachable {

  private Unreachable() {}

  /** @param use what for, appended to the service's name ("" or " for presence") */
  public static IllegalStateException redis(RedisSettings redis, String use, Throwable cause) {
    return error("Redis at " + redis.redacted() + use, "--redis_url", cause);
  }

  /** @param use what for, appended to the service's name ("" or " for presence") */
  public static IllegalStateException nats(NatsSettings nats, String use, Throwable cause) {
    return error("NATS JetStream at " + nats + " (nats-server -js)" + use, "--nats_servers", cause);
  }

  private static IllegalStateException error(String what, String flag, Throwable cause) {
    return new IllegalStateException("--broker cannot use " + what + ": " + cause.getMessage() + "; start it, or set " + flag,
        cause);
  }
}
