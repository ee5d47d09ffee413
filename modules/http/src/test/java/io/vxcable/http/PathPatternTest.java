package io.vxcable.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathPatternTest {

  @Test
  void anExactPathMatchesOnlyItself() {
    PathPattern p = PathPattern.of("/cable");
    assertThat(p.matches("/cable")).isTrue();
    assertThat(p.matches("/cable/")).isFalse();
    assertThat(p.matches("/cables")).isFalse();
    assertThat(p.matches("/")).isFalse();
  }

  @Test
  void aPlaceholderMatchesOneNonEmptySegment() {
    PathPattern p = PathPattern.of("/{tenant}/cable");
    assertThat(p.matches("/acme/cable")).isTrue();
    assertThat(p.matches("//cable")).isFalse();
    assertThat(p.matches("/a/b/cable")).isFalse();
  }

  @Test
  void aTrailingWildcardMatchesTheRest() {
    PathPattern p = PathPattern.of("/x/*");
    assertThat(p.matches("/x/")).isTrue();
    assertThat(p.matches("/x/a")).isTrue();
    assertThat(p.matches("/x/a/b")).isTrue();
    assertThat(p.matches("/y/a")).isFalse();
  }

  @Test
  void anyOfSeveralPathsMatches() {
    List<PathPattern> all = List.of(PathPattern.of("/ws"), PathPattern.of("/t/{tenant}/cable"));
    assertThat(PathPattern.anyMatches(all, "/ws")).isTrue();
    assertThat(PathPattern.anyMatches(all, "/t/acme/cable")).isTrue();
    assertThat(PathPattern.anyMatches(all, "/cable")).isFalse();
  }
}
