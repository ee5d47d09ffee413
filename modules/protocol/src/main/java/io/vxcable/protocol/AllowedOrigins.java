package io.vxcable.protocol;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * anycable-go's origin check (WebSocket upgrades; CORS for HTTP endpoints): the {@code Origin} header's host (with {@code :port}) must equal an
 * allowed entry, or end with the rest of an entry that starts with {@code *}. An empty list allows
 * everything; a missing Origin is rejected when a list is set.
 */
public final class AllowedOrigins {

  private final List<String> allowed;

  /** @param allowed entries, lower-cased; empty = every origin is allowed */
  public AllowedOrigins(List<String> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  public boolean isEmpty() {
    return allowed.isEmpty();
  }

  public boolean allows(String originHeader) {
    if (allowed.isEmpty()) {
      return true;
    }
    String host = host(originHeader);
    for (String entry : allowed) {
      if (entry.startsWith("*")) {
        if (host.endsWith(entry.substring(1))) {
          return true;
        }
      } else if (entry.equals(host)) {
        return true;
      }
    }
    return false;
  }

  private static String host(String origin) {
    if (origin == null || origin.isEmpty()) {
      return "";
    }
    try {
      URI uri = URI.create(origin.toLowerCase(Locale.ROOT));
      String authority = uri.getRawAuthority();
      return authority == null ? "" : authority.substring(authority.indexOf('@') + 1);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
