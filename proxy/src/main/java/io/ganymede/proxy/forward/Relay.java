package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of a WebSocket tunnel at the Netty level, as CHP and nginx pipe the bytes: each
 * chunk read from one socket is written to the other as the same pooled buffer (no copy, no HTTP
 * codec, no Vert.x stream or future per chunk) and flushed once per read batch; reading pauses
 * while the other side cannot take more. It sits at the socket end of the pipeline (after TLS), so
 * Vert.x's handlers behind it see no data but still every close and error: the sockets' close
 * handlers and the connection pool work as for any Vert.x connection.
 *
 * <p>Reaching a connection's channel takes Vert.x's internal {@code ConnectionBase}; where that is
 * not possible the caller pumps through the Vert.x sockets instead.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    private static final String NAME = "ganymede-relay";

    private final Route route;
    private final LongAdder bytes;
    /** The relay of the opposite direction, on the other socket; it writes what this one reads. */
    private Relay peer;
    private ChannelHandlerContext ctx;
    /** Chunks read before {@link #open()}: what Vert.x had already read must reach the peer first. */
    private ArrayDeque<ByteBuf> held = new ArrayDeque<>(2);
    private boolean open;
    private boolean unflushed;

    private Relay(Route route, LongAdder bytes) {
        this.route = route;
        this.bytes = bytes;
    }

    /**
     * Splices the client's upgraded socket and the target's, given with the HTTP connections they
     * came from. Both must live on the calling event loop (the proxy's clients are per event loop);
     * returns false, touching nothing, when they do not.
     */
    static boolean splice(HttpConnection clientConnection, NetSocket client, HttpConnection targetConnection,
                          NetSocket target, Route route, LongAdder toTarget, LongAdder toClient) {
        if (!(clientConnection instanceof ConnectionBase c) || !(targetConnection instanceof ConnectionBase t)) {
            return false;
        }
        Channel clientChannel = c.channel();
        Channel targetChannel = t.channel();
        if (clientChannel.eventLoop() != targetChannel.eventLoop() || !clientChannel.eventLoop().inEventLoop()) {
            return false;
        }
        clientChannel.config().setAutoRead(false);
        targetChannel.config().setAutoRead(false);
        Relay up = new Relay(route, toTarget);
        Relay down = new Relay(route, toClient);
        up.peer = down;
        down.peer = up;
        insert(clientChannel.pipeline(), up);
        insert(targetChannel.pipeline(), down);
        up.takeOver(client);
        down.takeOver(target);
        // Vert.x queued the hand-over of what it had buffered on this loop; open after it.
        clientChannel.eventLoop().execute(() -> {
            up.open();
            down.open();
        });
        return true;
    }

    private static void insert(ChannelPipeline pipeline, Relay relay) {
        ChannelHandlerContext tls = pipeline.context(SslHandler.class);
        if (tls != null) {
            pipeline.addAfter(tls.name(), NAME, relay);
        } else {
            pipeline.addFirst(NAME, relay);
        }
    }

    /** Bytes Vert.x read before the relay was in place (a greeting right after the 101) go first. */
    private void takeOver(NetSocket socket) {
        socket.handler(buffer -> {
            forward(buffer.getByteBuf());
            flush();
        });
        socket.resume();
    }

    private void open() {
        ArrayDeque<ByteBuf> early = held;
        if (early == null) {
            return; // removed: the socket closed in the meantime
        }
        held = null;
        for (ByteBuf chunk; (chunk = early.poll()) != null; ) {
            forward(chunk);
        }
        flush();
        open = true;
        if (peer.ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf chunk)) {
            ctx.fireChannelRead(msg);
        } else if (held != null) {
            held.add(chunk);
        } else {
            forward(chunk);
        }
    }

    private void forward(ByteBuf chunk) {
        route.touch();
        bytes.add(chunk.readableBytes());
        ChannelHandlerContext out = peer.ctx;
        out.write(chunk, out.voidPromise());
        unflushed = true;
        if (!out.channel().isWritable()) {
            flush();
            ctx.channel().config().setAutoRead(false);
            // The peer may have drained between the check and the pause; its event would be lost.
            if (open && out.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            peer.ctx.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        ctx.fireChannelReadComplete();
    }

    /** This socket took what the opposite direction wrote to it: that direction may read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer.open) {
            peer.ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ArrayDeque<ByteBuf> early = held;
        held = null;
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
        }
    }
}
