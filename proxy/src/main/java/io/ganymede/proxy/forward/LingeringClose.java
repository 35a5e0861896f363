package io.ganymede.proxy.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection whose request body was not read to its end, as nginx's lingering
 * close does: closing at once would make the kernel answer the bytes still arriving with a reset,
 * which can reach the client before it has read the answer. Instead the proxy stops writing (the
 * client reads the answer, then the end of the stream), goes on reading and dropping what the
 * client still sends ({@link PublicHandler} drops everything once it is closing), and closes when
 * the client does, or after a few seconds.
 */
final class LingeringClose {

    /** The longest a closing connection goes on reading. */
    static final long LINGER_MILLIS = 5_000;

    /** Added to the write of the answer's end. */
    static final ChannelFutureListener AFTER_WRITE = LingeringClose::afterWrite;

    private LingeringClose() {
    }

    private static void afterWrite(ChannelFuture written) {
        Channel channel = written.channel();
        if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex)) {
            channel.close();
            return;
        }
        duplex.shutdownOutput();
        channel.config().setAutoRead(true);
        channel.eventLoop().schedule((Runnable) channel::close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }
}
