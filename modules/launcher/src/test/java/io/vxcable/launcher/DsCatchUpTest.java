package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.RawHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** HEAD and catch-up reads, offsets, parameter checks and CORS, against the bundle with a memory broker. */
class DsCatchUpTest extends DsCase {

  @Test
  void headTellsTheTailOffsetAndIsNotCached() throws Exception {
    start("--public");
    HttpResponse<String> empty = head("/ds/room");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(header(empty, "Stream-Next-Offset")).isEqualTo("0");
    assertThat(header(empty, "Content-Type")).isEqualTo("application/json");
    assertThat(header(empty, "Cache-Control")).isEqualTo("no-store");
    assertThat(header(empty, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(empty, "X-AnyCable-Version")).isNotEmpty();
    assertThat(empty.body()).isEmpty();
    publish("room", "{\"n\":1}");
    publish("room", "{\"n\":2}");
    assertThat(tail("room")).matches("2::[A-Za-z0-9_-]{4}");
    assertThat(tail("other")).isEqualTo("0");
  }

  @Test
  void aCatchUpReadAnswersTheDataVerbatimAsAJsonArray() throws Exception {
    start("--public");
    publish("room", "{\"n\":1}");
    publish("room", "{ \"n\" : [2, \"two\"] }");
    publish("room", "plain text");
    String tail = tail("room");
    for (String query : new String[] {"?offset=-1", "", "?offset=0", "?offset="}) {
      HttpResponse<String> r = get("/ds/room" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(200);
      assertThat(r.body()).isEqualTo("[{\"n\":1},{ \"n\" : [2, \"two\"] },\"plain text\"]");
      assertThat(header(r, "Stream-Next-Offset")).isEqualTo(tail);
      assertThat(header(r, "Stream-Up-To-Date")).isEqualTo("true");
      assertThat(header(r, "Stream-Cursor")).matches("\\d+");
      assertThat(header(r, "Content-Type")).isEqualTo("application/json");
      assertThat(header(r, "Cache-Control")).isEqualTo("public, max-age=60, stale-while-revalidate=300");
      assertThat(header(r, "X-Content-Type-Options")).isEqualTo("nosniff");
    }
  }

  @Test
  void readsGoOnFromAnOffsetOrFromNow() throws Exception {
    start("--public");
    publish("room", "1");
    publish("room", "2");
    String second = tail("room");
    String epoch = second.substring(3);
    HttpResponse<String> fromFirst = get("/ds/room?offset=1::" + epoch);
    assertThat(fromFirst.body()).isEqualTo("[2]");
    assertThat(header(fromFirst, "Stream-Next-Offset")).isEqualTo(second);
    HttpResponse<String> atTail = get("/ds/room?offset=" + second);
    assertThat(atTail.statusCode()).isEqualTo(200);
    assertThat(atTail.body()).isEqualTo("[]");
    assertThat(header(atTail, "Stream-Next-Offset")).isEqualTo(second);
    HttpResponse<String> now = get("/ds/room?offset=now");
    assertThat(now.body()).isEqualTo("[]");
    assertThat(header(now, "Stream-Next-Offset")).isEqualTo(second);
    publish("room", "3");
    assertThat(get("/ds/room?offset=" + header(now, "Stream-Next-Offset")).body()).isEqualTo("[3]");
    HttpResponse<String> emptyNow = get("/ds/nothing?offset=now");
    assertThat(emptyNow.body()).isEqualTo("[]");
    assertThat(header(emptyNow, "Stream-Next-Offset")).isEqualTo("0");
    assertThat(get("/ds/nothing?offset=-1").body()).isEqualTo("[]");
  }

  @Test
  void unreachableOffsetsAreGone() throws Exception {
    start("--public", "--history_limit=2");
    for (int i = 1; i <= 4; i++) {
      publish("room", String.valueOf(i));
    }
    String epoch = tail("room").substring(3);
    assertThat(get("/ds/room?offset=2::" + epoch).body()).isEqualTo("[3,4]");
    HttpResponse<String> evicted = get("/ds/room?offset=1::" + epoch);
    assertThat(evicted.statusCode()).isEqualTo(410);
    assertThat(evicted.body()).isEmpty();
    assertThat(header(evicted, "Content-Type")).as("no JSON error without a body").isNull();
    assertThat(header(evicted, "Cache-Control")).isNull();
    assertThat(get("/ds/room?offset=2::" + (epoch.equals("zzzz") ? "yyyy" : "zzzz")).statusCode()).as("epoch")
        .isEqualTo(410);
    assertThat(get("/ds/room?offset=9::" + epoch).statusCode()).as("ahead").isEqualTo(410);
    assertThat(get("/ds/room?offset=2").statusCode()).as("no epoch").isEqualTo(410);
    assertThat(get("/ds/unknown?offset=1::" + epoch).statusCode()).as("unknown stream").isEqualTo(410);
  }

  @Test
  void parametersAreCheckedFirstThenTheMethod() throws Exception {
    start("--public");
    assertThat(get("/ds/room?offset=abc").statusCode()).isEqualTo(400);
    assertThat(get("/ds/room?offset=1,2").statusCode()).isEqualTo(400);
    assertThat(get("/ds/room?offset=%2B1::e").statusCode()).isEqualTo(400);
    assertThat(get("/ds/room?offset=99999999999999999999::e").statusCode()).isEqualTo(400);
    assertThat(get("/ds/room?offset=-1&live=poll").statusCode()).isEqualTo(400);
    assertThat(get("/ds/room?live=long-poll").statusCode()).isEqualTo(400);
    assertThat(get("/ds/room?live=sse").statusCode()).isEqualTo(400);
    assertThat(get("/ds/").statusCode()).isEqualTo(400);
    assertThat(get("/ds").statusCode()).isEqualTo(400);
    assertThat(RawHttp.exchange(port, "GET /ds/a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400");
    assertThat(send("POST", "/ds/room").statusCode()).isEqualTo(405);
    assertThat(send("PUT", "/ds/room?offset=-1").statusCode()).isEqualTo(405);
    assertThat(send("DELETE", "/ds/room?live=sse").statusCode()).as("400 before 405").isEqualTo(400);
  }

  @Test
  void theStreamIsThePercentDecodedPathBelowThePrefix() throws Exception {
    start("--public", "--ds_path=/streams/ds");
    publish("chat/room 1+x", "\"hi\"");
    assertThat(get("/streams/ds/chat/room%201+x").body()).isEqualTo("[\"hi\"]");
    assertThat(get("/streams/ds/chat%2Froom%201%2Bx").body()).isEqualTo("[\"hi\"]");
    assertThat(get("/ds/chat/room%201+x").statusCode()).isEqualTo(404);
  }

  @Test
  void everyAnswerCarriesCorsHeadersAndPreflightsAreAnswered() throws Exception {
    start("--public", "--allowed_origins=*.example.com");
    HttpResponse<String> preflight = send("OPTIONS", "/ds/room", "Origin", "https://App.Example.com");
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(header(preflight, "Access-Control-Allow-Methods")).isEqualTo("POST, OPTIONS");
    assertThat(header(preflight, "Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(header(preflight, "Access-Control-Allow-Headers")).contains("Authorization");
    HttpResponse<String> read = get("/ds/room", "Origin", "https://app.example.com");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(header(read, "Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    HttpResponse<String> foreign = get("/ds/room", "Origin", "https://evil.test");
    assertThat(foreign.statusCode()).as("still served").isEqualTo(200);
    assertThat(header(foreign, "Access-Control-Allow-Origin")).isNull();
    assertThat(header(foreign, "Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(header(get("/ds/room?offset=x", "Origin", "https://app.example.com"), "Access-Control-Allow-Origin"))
        .isEqualTo("https://app.example.com");
  }

  @Test
  void withoutAllowedOriginsAnyOriginIsAllowed() throws Exception {
    start("--public");
    HttpResponse<String> r = head("/ds/room", "Origin", "https://anywhere.test");
    assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(header(send("POST", "/ds/room"), "Access-Control-Allow-Origin")).isEqualTo("*");
  }

  @Test
  void withoutABrokerReadsFail() throws Exception {
    start("--public", "--broker=none");
    assertThat(head("/ds/room").statusCode()).isEqualTo(500);
    assertThat(get("/ds/room").statusCode()).isEqualTo(500);
    assertThat(get("/ds/room?offset=1::abcd").statusCode()).isEqualTo(500);
  }
}
