package io.vxcable.http;

import java.util.List;

/**
 * A WebSocket path pattern in chi's syntax, as anycable-go accepts them in {@code --path}: an exact
 * path ({@code /cable}), a {@code {name}} placeholder matching one non-empty segment
 * ({@code /{tenant}/cable}), and a trailing {@code *} matching the rest ({@code /x/*}).
 */
public final class PathPattern {

  private final String[] segments;
  private final boolean wildcard;

  private PathPattern(String pattern) {
    String p = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    this.wildcard = pattern.endsWith("*");
    if (wildcard && p.endsWith("*")) {
      p = p.substring(0, p.length() - 1);
    }
    this.segments = p.split("/", -1);
  }

  public static PathPattern of(String pattern) {
    return new PathPattern(pattern);
  }

  public static boolean anyMatches(List<PathPattern> patterns, String path) {
    for (PathPattern p : patterns) {
      if (p.matches(path)) {
        return true;
      }
    }
    return false;
  }

  public boolean matches(String path) {
    String[] parts = path.split("/", -1);
    if (wildcard) {
      // segments ends with "" (pattern "/x/"): every segment before it must match, the rest is free.
      int fixed = segments.length - 1;
      if (parts.length < fixed + 1 && !(parts.length == fixed && segments[fixed].isEmpty())) {
        return false;
      }
      for (int i = 0; i < fixed; i++) {
        if (!segmentMatches(segments[i], parts[i])) {
          return false;
        }
      }
      return true;
    }
    if (parts.length != segments.length) {
      return false;
    }
    for (int i = 0; i < parts.length; i++) {
      if (!segmentMatches(segments[i], parts[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean segmentMatches(String pattern, String part) {
    if (pattern.startsWith("{") && pattern.endsWith("}")) {
      return !part.isEmpty();
    }
    return pattern.equals(part);
  }
}
