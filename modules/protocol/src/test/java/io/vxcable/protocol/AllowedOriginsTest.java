package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

  @Test
  void anEmptyListAllowsEverythingEvenNoOrigin() {
    AllowedOrigins o = new AllowedOrigins(List.of());
    assertThat(o.allows(null)).isTrue();
    assertThat(o.allows("https://evil.test")).isTrue();
  }

  @Test
  void hostsAreComparedWithTheirPort() {
    AllowedOrigins o = new AllowedOrigins(List.of("example.com", "localhost:3000"));
    assertThat(o.allows("http://example.com")).isTrue();
    assertThat(o.allows("https://EXAMPLE.com")).isTrue();
    assertThat(o.allows("http://example.com:8080")).isFalse();
    assertThat(o.allows("http://localhost:3000")).isTrue();
    assertThat(o.allows("http://localhost")).isFalse();
  }

  @Test
  void aLeadingStarMatchesAnySuffix() {
    AllowedOrigins o = new AllowedOrigins(List.of("*.example.com", "*example.io"));
    assertThat(o.allows("https://app.example.com")).isTrue();
    assertThat(o.allows("https://example.com")).isFalse();
    assertThat(o.allows("https://myexample.io")).isTrue();
  }

  @Test
  void aMissingOriginIsRejectedWhenAListIsSet() {
    AllowedOrigins o = new AllowedOrigins(List.of("example.com"));
    assertThat(o.allows(null)).isFalse();
    assertThat(o.allows("")).isFalse();
    assertThat(o.allows("not a url")).isFalse();
  }
}
