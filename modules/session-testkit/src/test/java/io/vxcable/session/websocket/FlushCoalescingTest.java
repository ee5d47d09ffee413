package io.vxcable.session.websocket;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes on a real event loop: frames written while more tasks wait on the loop go out with one
 * flush after them (under load a connection sends several broadcasts in one system call); with
 * nothing waiting each frame is flushed at once. Every frame arrives, in order, either way.
 */
class FlushCoalescingTest {

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
  private final AtomicInteger flushes = new AtomicInteger();
  private final List<String> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  private NettyWebSocket connect() throws Exception {
    LocalAddress address = new LocalAddress("flush-" + System.nanoTime());
    CompletableFuture<NettyWebSocket> server = new CompletableFuture<>();
    new ServerBootstrap().group(group).channel(LocalServerChannel.class).childHandler(new ChannelInitializer<LocalChannel>() {
      @Override
      protected void initChannel(LocalChannel ch) {
        NettyWebSocket ws = new NettyWebSocket(ch, 1000);
        ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
          @Override
          public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
          }
        }, ws);
        server.complete(ws);
      }
    }).bind(address).sync();
    Channel client = new Bootstrap().group(group).channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        for (ServerFrames.Raw f : ServerFrames.read((io.netty.buffer.ByteBuf) msg)) {
          received.add(new String(f.payload(), StandardCharsets.UTF_8));
        }
        ReferenceCountUtil.release(msg);
      }
    }).connect(address).sync().channel();
    assertThat(client.isActive()).isTrue();
    return server.get(5, TimeUnit.SECONDS);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void framesWrittenWhileTheLoopHasWorkShareOneFlush() throws Exception {
    NettyWebSocket ws = connect();
    CountDownLatch release = new CountDownLatch(1);
    group.next().execute(() -> {
      // A task queued behind this one: the loop has work while the frames are written.
      group.next().execute(() -> { });
      int before = flushes.get();
      ws.writeFrame(text("a"), false, ok -> { });
      ws.writeFrame(text("b"), false, ok -> { });
      ws.writeFrame(text("c"), false, ok -> { });
      assertThat(flushes.get()).as("nothing flushed while the loop has work").isEqualTo(before);
      release.countDown();
    });
    assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
    eventually(() -> assertThat(received).containsExactly("a", "b", "c"));
    assertThat(flushes.get()).isEqualTo(1);
  }

  /**
   * The flush held for one connection is not "more work" for the next: a fan-out whose first
   * delivery met a busy loop still sends every later frame as it is written, not in one burst
   * after the whole fan-out.
   */
  @Test
  void aFlushHeldForOneConnectionDoesNotHoldBackTheNext() throws Exception {
    NettyWebSocket first = connect();
    NettyWebSocket second = connect();
    CompletableFuture<Integer> flushedForSecond = new CompletableFuture<>();
    group.next().execute(() -> {
      group.next().execute(() -> {
        // Only the first connection's held flush waits now.
        int before = flushes.get();
        second.writeFrame(text("second"), false, ok -> { });
        flushedForSecond.complete(flushes.get() - before);
      });
      // The task above waits: this frame is held for one flush after it.
      first.writeFrame(text("first"), false, ok -> { });
    });
    assertThat(flushedForSecond.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    eventually(() -> assertThat(received).containsExactlyInAnyOrder("first", "second"));
  }

  /** What is held back counts against --ws_max_pending_size: never more than FLUSH_AT of it. */
  @Test
  void enoughHeldBackIsFlushedAtOnceEvenWhileTheLoopHasWork() throws Exception {
    NettyWebSocket ws = connect();
    CompletableFuture<int[]> flushed = new CompletableFuture<>();
    group.next().execute(() -> {
      group.next().execute(() -> { });
      int before = flushes.get();
      ws.writeFrame(text("small"), false, ok -> { });
      int afterSmall = flushes.get() - before;
      ws.writeFrame(new byte[NettyWebSocket.FLUSH_AT], false, ok -> { });
      flushed.complete(new int[] {afterSmall, flushes.get() - before});
    });
    assertThat(flushed.get(5, TimeUnit.SECONDS)).containsExactly(0, 1);
    eventually(() -> assertThat(received).hasSize(2));
    assertThat(received.get(0)).isEqualTo("small");
  }

  @Test
  void aFrameWrittenWhenTheLoopIsIdleIsFlushedAtOnce() throws Exception {
    NettyWebSocket ws = connect();
    CompletableFuture<Integer> flushedDuringWrite = new CompletableFuture<>();
    group.next().execute(() -> {
      int before = flushes.get();
      ws.writeFrame(text("now"), false, ok -> { });
      flushedDuringWrite.complete(flushes.get() - before);
    });
    assertThat(flushedDuringWrite.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    eventually(() -> assertThat(received).containsExactly("now"));
  }
}
