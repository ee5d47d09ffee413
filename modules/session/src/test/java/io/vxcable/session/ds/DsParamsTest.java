package io.vxcable.session.ds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A read's parameters, checked in anycable-go's way (every failure is a 400). */
class DsParamsTest {

  static DsParams parse(String path, String offset, String live) throws DsParams.BadRequest {
    return DsParams.parse("/ds", path, offset, live, null, null, null);
  }

  @Test
  void theStreamIsTheDecodedPathBelowThePrefix() throws Exception {
    assertThat(parse("/ds/chat/room-42", null, null).stream()).isEqualTo("chat/room-42");
    assertThat(parse("/ds/a%2Fb%20c+d", null, null).stream()).isEqualTo("a/b c+d");
    assertThat(parse("/ds/%C3%A9t%C3%A9", null, null).stream()).isEqualTo("été");
    assertThat(parse("/ds//x", null, null).stream()).as("one slash is dropped").isEqualTo("/x");
    assertThat(DsParams.parse("/ds/", "/ds/x", null, null, null, null, null).stream()).isEqualTo("x");
    for (String empty : new String[] {"/ds", "/ds/", "/other"}) {
      assertThatThrownBy(() -> parse(empty, null, null)).as(empty).isInstanceOf(DsParams.BadRequest.class);
    }
    assertThatThrownBy(() -> parse("/ds/a%zz", null, null)).isInstanceOf(DsParams.BadRequest.class);
    assertThatThrownBy(() -> parse("/ds/a%2", null, null)).isInstanceOf(DsParams.BadRequest.class);
  }

  @Test
  void aCatchUpReadStartsAtTheBeginningByDefault() throws Exception {
    DsParams p = parse("/ds/x", null, null);
    assertThat(p.offset()).isEqualTo(DsOffset.START);
    assertThat(p.rawOffset()).isEqualTo("-1");
    assertThat(p.isLive()).isFalse();
    assertThat(parse("/ds/x", "", "").offset()).isEqualTo(DsOffset.START);
  }

  @Test
  void liveModesAreLongPollOrSseAndNeedAnOffset() throws Exception {
    assertThat(parse("/ds/x", "now", "long-poll").live()).isEqualTo(DsParams.LONG_POLL);
    assertThat(parse("/ds/x", "-1", "sse").live()).isEqualTo(DsParams.SSE);
    assertThatThrownBy(() -> parse("/ds/x", null, "sse")).isInstanceOf(DsParams.BadRequest.class);
    assertThatThrownBy(() -> parse("/ds/x", "", "long-poll")).isInstanceOf(DsParams.BadRequest.class);
    assertThatThrownBy(() -> parse("/ds/x", "-1", "poll")).isInstanceOf(DsParams.BadRequest.class);
    assertThatThrownBy(() -> parse("/ds/x", "1,2", null)).isInstanceOf(DsParams.BadRequest.class);
  }

  @Test
  void theSignedNameComesFromTheQueryElseTheHeader() throws Exception {
    assertThat(DsParams.parse("/ds", "/ds/x", null, null, "c9", "q", "h").signed()).isEqualTo("q");
    assertThat(DsParams.parse("/ds", "/ds/x", null, null, null, "", "h").signed()).isEqualTo("h");
    DsParams none = DsParams.parse("/ds", "/ds/x", null, null, "c9", null, null);
    assertThat(none.signed()).isEmpty();
    assertThat(none.cursor()).isEqualTo("c9");
  }
}
