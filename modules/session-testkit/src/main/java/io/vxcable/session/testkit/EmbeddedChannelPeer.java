package io.vxcable.session.testkit;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.vxcable.session.testkit.TransportContract.Frame;
import io.vxcable.session.testkit.TransportContract.Peer;
import java.util.ArrayList;
import java.util.List;

/**
 * The client end of a transport under test on Netty's {@link EmbeddedChannel}: every message the
 * transport wrote is read in order and handed to {@link #read} (then released), which records data
 * frames with {@link #frame} and says when the transport ended the exchange. Subclasses only decode.
 */
public abstract class EmbeddedChannelPeer implements Peer {

  protected final EmbeddedChannel channel;
  private final List<Frame> frames = new ArrayList<>();
  private boolean ended;

  protected EmbeddedChannelPeer(EmbeddedChannel channel) {
    this.channel = channel;
  }

  /** One outbound message of the transport; not to be released here. */
  protected abstract void read(Object message);

  /** A data frame the client received. */
  protected final void frame(boolean binary, byte[] payload) {
    frames.add(new Frame(binary, payload));
  }

  /** The transport ended the exchange (a close frame, the last chunk). */
  protected final void ended() {
    ended = true;
  }

  /** Reads everything written so far. */
  protected final void drain() {
    Object msg;
    while ((msg = channel.readOutbound()) != null) {
      try {
        read(msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  @Override
  public List<Frame> received() {
    drain();
    return frames;
  }

  @Override
  public void flush() {
    channel.runPendingTasks();
    drain();
  }

  @Override
  public boolean closed() {
    drain();
    return ended || !channel.isOpen();
  }
}
