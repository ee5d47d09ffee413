package io.vxcable.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vxcable.protocol.Jwt;
import io.vxcable.protocol.MessageVerifier;
import io.vxcable.testkit.FreePorts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who may read: clients are authenticated as WebSocket connections are (JWT, RPC Connect with the
 * request's headers and cookies, or not at all with {@code --ds_skip_auth}), streams authorized by
 * the {@code $pubsub} rules (signed names, or public streams). Every refusal is 401.
 */
class DsAuthTest extends DsCase {

  static final String STREAMS_SECRET = "streams-secret";
  static final String JWT_SECRET = "jwt-secret";

  static String signed(String stream) {
    return URLEncoder.encode(new MessageVerifier(STREAMS_SECRET).generate(stream), StandardCharsets.UTF_8);
  }

  static String token(String uid, long expiresIn) {
    String ext = new JsonObject().put("uid", uid).encode();
    return Jwt.signHs256(new JsonObject().put("ext", ext).put("exp", System.currentTimeMillis() / 1000 + expiresIn).encode(),
        JWT_SECRET);
  }

  @Test
  void signedStreamNamesOpenTheirStreamOnly() throws Exception {
    start("--noauth", "--norpc", "--streams_secret=" + STREAMS_SECRET);
    publish("room", "1");
    assertThat(get("/ds/room").statusCode()).as("unsigned, no public streams").isEqualTo(401);
    assertThat(head("/ds/room").statusCode()).isEqualTo(401);
    assertThat(get("/ds/room?signed=" + signed("room")).body()).isEqualTo("[1]");
    assertThat(head("/ds/room?signed=" + signed("room")).statusCode()).isEqualTo(200);
    String header = new MessageVerifier(STREAMS_SECRET).generate("room");
    assertThat(get("/ds/room", "X-Signed", header).body()).isEqualTo("[1]");
    assertThat(get("/ds/room?signed=" + signed("other")).statusCode()).as("signed for another stream").isEqualTo(401);
    assertThat(get("/ds/room?signed=" + signed("room").substring(2)).statusCode()).as("forged").isEqualTo(401);
    assertThat(get("/ds/room?offset=now&live=long-poll&signed=" + signed("other")).statusCode()).isEqualTo(401);
    assertThat(get("/ds/room?offset=now&live=sse", "X-Signed", "garbage").statusCode()).isEqualTo(401);
  }

  @Test
  void publicStreamsNeedNoSignatureAndSignedOnesStillWork() throws Exception {
    start("--noauth", "--norpc", "--public_streams", "--streams_secret=" + STREAMS_SECRET);
    publish("room", "1");
    assertThat(get("/ds/room").body()).isEqualTo("[1]");
    assertThat(get("/ds/room?signed=" + signed("room")).body()).isEqualTo("[1]");
    assertThat(get("/ds/room?signed=nope").statusCode()).as("a bad signature is not read as public").isEqualTo(401);
  }

  @Test
  void withoutASecretSignedNamesAreRefused() throws Exception {
    start("--public");
    assertThat(get("/ds/room?signed=" + signed("room")).statusCode()).isEqualTo(401);
  }

  @Test
  void aJwtInTheHeaderOrTheQueryAuthenticates() throws Exception {
    start("--norpc", "--public_streams", "--jwt_secret=" + JWT_SECRET);
    publish("room", "1");
    assertThat(get("/ds/room").statusCode()).as("no token, no application").isEqualTo(401);
    assertThat(get("/ds/room", "X-JID", token("u1", 60)).body()).isEqualTo("[1]");
    assertThat(get("/ds/room?jid=" + token("u1", 60)).body()).isEqualTo("[1]");
    assertThat(head("/ds/room", "X-JID", token("u1", 60)).statusCode()).isEqualTo(200);
    assertThat(get("/ds/room", "X-JID", token("u1", -10)).statusCode()).as("expired").isEqualTo(401);
    assertThat(get("/ds/room", "X-JID", "not.a.token").statusCode()).isEqualTo(401);
    assertThat(get("/ds/room?offset=now&live=long-poll", "X-JID", "not.a.token").statusCode()).isEqualTo(401);
  }

  @Test
  void skipAuthAdmitsEveryClientButStillAuthorizesStreams() throws Exception {
    start("--norpc", "--ds_skip_auth", "--jwt_secret=" + JWT_SECRET, "--enforce_jwt",
        "--streams_secret=" + STREAMS_SECRET);
    publish("room", "1");
    assertThat(get("/ds/room?signed=" + signed("room")).body()).isEqualTo("[1]");
    assertThat(get("/ds/room").statusCode()).as("unsigned, no public streams").isEqualTo(401);
  }

  @Test
  void rpcConnectGetsTheRequestsHeadersAndCookies() throws Exception {
    int appPort = FreePorts.next();
    List<JsonObject> connects = new CopyOnWriteArrayList<>();
    HttpServer app = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject call = body.toJsonObject();
      connects.add(call.put("path", req.path()));
      JsonObject headers = call.getJsonObject("env").getJsonObject("headers", new JsonObject());
      boolean ok = req.path().endsWith("/connect") && "abc".equals(headers.getString("x-api-token"))
          && String.valueOf(headers.getString("cookie")).contains("user=jane");
      JsonObject answer = ok ? new JsonObject().put("status", 1).put("identifiers", "{\"user\":\"jane\"}")
          .put("transmissions", List.of("{\"type\":\"welcome\"}"))
          : new JsonObject().put("status", 2).put("transmissions", List.of("{\"type\":\"disconnect\"}"));
      req.response().putHeader("Content-Type", "application/json").end(answer.encode());
    }));
    app.listen(appPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
    start("--rpc_host=http://127.0.0.1:" + appPort + "/_anycable", "--headers=cookie,x-api-token",
        "--public_streams");
    publish("room", "1");
    assertThat(get("/ds/room", "X-Api-Token", "abc", "Cookie", "user=jane; other=1").body()).isEqualTo("[1]");
    assertThat(get("/ds/room", "X-Api-Token", "abc").statusCode()).as("refused by the application").isEqualTo(401);
    assertThat(get("/ds/room?offset=now&live=long-poll", "Cookie", "user=jane").statusCode()).isEqualTo(401);
    List<JsonObject> connectCalls = connects.stream().filter(c -> c.getString("path").endsWith("/connect")).toList();
    assertThat(connectCalls).hasSize(3);
    assertThat(connectCalls.get(0).getJsonObject("env").getString("url")).endsWith("/ds/room");
  }
}
