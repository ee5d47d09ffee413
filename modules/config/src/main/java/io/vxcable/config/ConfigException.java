package io.vxcable.config;

/** A configuration that cannot be used. The message names the flag (or key) and the problem. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
