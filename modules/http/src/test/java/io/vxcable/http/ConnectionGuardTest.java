package io.vxcable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request deadlines on an in-memory channel with a manual clock: an HTTP/1.1 codec and a
 * handler that answers each request when the test says so, as Vert.x's handler would.
 */
class ConnectionGuardTest {

  static final HttpLimits LIMITS = new HttpLimits(5_000, 30_000, 60_000, 1024);

  EmbeddedChannel channel;
  Answerer handler;
  long clock = 1_000;

  /** Counts complete requests; answers them only when {@link #answer()} is called. */
  static final class Answerer extends ChannelInboundHandlerAdapter {
    ChannelHandlerContext ctx;
    int requests;
    int ended;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        requests++;
      }
      if (msg instanceof LastHttpContent) {
        ended++;
      }
      ReferenceCountUtil.release(msg);
    }

    void answer() {
      DefaultFullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      ok.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
      ctx.writeAndFlush(ok);
    }
  }

  @BeforeEach
  void open() {
    channel = new EmbeddedChannel();
    channel.freezeTime();
    handler = new Answerer();
    channel.pipeline().addLast("httpDecoder", new HttpRequestDecoder());
    channel.pipeline().addLast("httpEncoder", new HttpResponseEncoder());
    channel.pipeline().addLast("handler", handler);
    ConnectionGuard.install(channel.pipeline(), LIMITS, "httpDecoder", "handler", () -> clock);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  void advance(long ms) {
    clock += ms;
    channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  void send(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  String written() {
    StringBuilder sb = new StringBuilder();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      sb.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return sb.toString();
  }

  @Test
  void aSilentConnectionIsClosedAfterTheHeaderTimeoutWithoutAnAnswer() {
    advance(4_999);
    assertThat(channel.isOpen()).as("still within the 5 s").isTrue();
    advance(1);
    assertThat(channel.isOpen()).isFalse();
    assertThat(written()).as("nothing to answer: no request began").isEmpty();
  }

  @Test
  void aHeadTrickledPastTheTimeoutIsAnsweredWith408AndClosed() {
    send("GET /health HTTP/1.1\r\n");
    advance(3_000);
    send("Host: x\r\n");
    advance(2_000);
    assertThat(written()).startsWith("HTTP/1.1 408 Request Timeout").contains("connection: close");
    assertThat(channel.isOpen()).as("open a moment, so the answer is read rather than reset").isTrue();
    advance(1_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aCompleteHeadInTimeIsServedAndTheConnectionThenIdlesForTheIdleTimeout() {
    send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(handler.requests).isEqualTo(1);
    advance(10_000);
    assertThat(channel.isOpen()).as("the server is answering: no head deadline").isTrue();
    handler.answer();
    assertThat(written()).startsWith("HTTP/1.1 200 OK");
    advance(59_999);
    assertThat(channel.isOpen()).as("kept alive within the idle timeout").isTrue();
    advance(1);
    assertThat(channel.isOpen()).isFalse();
    assertThat(written()).as("an idle connection is closed without an answer").isEmpty();
  }

  @Test
  void theFirstByteOfTheNextRequestStartsItsHeaderDeadline() {
    send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    handler.answer();
    written();
    advance(30_000);
    send("GET /b HTTP/1.1\r\n");
    advance(4_999);
    assertThat(channel.isOpen()).isTrue();
    advance(1);
    assertThat(written()).startsWith("HTTP/1.1 408");
    advance(1_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aBodyMustArriveWithinTheReadTimeout() {
    send("POST /_broadcast HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
    for (int i = 0; i < 29; i++) {
      send("x");
      advance(1_000);
    }
    assertThat(channel.isOpen()).as("a slow body within the 30 s").isTrue();
    send("x");
    advance(1_000);
    assertThat(written()).startsWith("HTTP/1.1 408");
    advance(1_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aResponseTheClientDoesNotTakeEndsTheConnectionAfterTheIdleTimeout() {
    send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    // The answer is written but never flushed to the socket (the client does not read).
    channel.pipeline().context("handler").write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    advance(60_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void onlyHttp1IsServedAnHttp2PrefaceIsAnswered505() {
    send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assertThat(handler.requests).as("never handed to the server").isZero();
    assertThat(written()).startsWith("HTTP/1.1 505 HTTP Version Not Supported");
    advance(1_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aDisabledLimitNeverFires() {
    channel.finishAndReleaseAll();
    channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.pipeline().addLast("httpDecoder", new HttpRequestDecoder());
    channel.pipeline().addLast("httpEncoder", new HttpResponseEncoder());
    channel.pipeline().addLast("handler", handler = new Answerer());
    ConnectionGuard.install(channel.pipeline(), new HttpLimits(0, 0, 0, 0), "httpDecoder", "handler", () -> clock);
    send("GET /a HTTP/1.1\r\n");
    advance(3_600_000);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void uninstallingStopsEveryDeadline() {
    ConnectionGuard.uninstall(channel.pipeline());
    assertThat(channel.pipeline().get(ConnectionGuard.NAME)).isNull();
    advance(3_600_000);
    assertThat(channel.isOpen()).as("a WebSocket is not an HTTP request").isTrue();
  }
}
