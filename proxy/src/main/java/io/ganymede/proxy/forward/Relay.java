package io.ganymede.proxy.forward;

import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.routing.Route;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of a WebSocket tunnel, as CHP and nginx pipe the bytes: each chunk read from one
 * socket is written to the other as the same pooled buffer (no copy, no codec, no frame decoding)
 * and flushed once per read batch; reading pauses while the other side cannot take more. It takes
 * the place of the HTTP codec once both sides have switched protocols.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    private static final String NAME = "relay";

    private final Route route;
    private final LongAdder bytes;
    /** Only the client's side reports the tunnel's end, so it is counted once. */
    private final ProxyMetrics closing;
    /** The relay of the opposite direction, on the other socket; it writes what this one reads. */
    private Relay peer;
    private ChannelHandlerContext ctx;
    private boolean unflushed;
    /** Bytes a codec handed on while leaving, before both codecs were gone; forwarded at open. */
    private ArrayDeque<ByteBuf> held = new ArrayDeque<>(2);

    private Relay(Route route, LongAdder bytes, ProxyMetrics closing) {
        this.route = route;
        this.bytes = bytes;
        this.closing = closing;
    }

    /**
     * Splices the client's socket and the target's, both on the calling event loop and both with
     * reading paused, right after the 101 went to the client. Bytes either codec had read past the
     * handshake reach the other side first.
     */
    static void splice(Channel client, Channel target, Route route, ProxyMetrics metrics) {
        Relay up = new Relay(route, metrics.bytesFromClients(), metrics);
        Relay down = new Relay(route, metrics.bytesFromTargets(), null);
        up.peer = down;
        down.peer = up;
        ChannelPipeline c = client.pipeline();
        ChannelPipeline t = target.pipeline();
        c.addAfter(PublicServer.CODEC, NAME, up);
        t.addAfter(PublicServer.CODEC, NAME, down);
        c.remove(PublicServer.PROXY);
        t.remove(PublicServer.PROXY);
        c.remove(PublicServer.CODEC);
        t.remove(PublicServer.CODEC);
        up.open();
        down.open();
        client.config().setAutoRead(target.isWritable());
        target.config().setAutoRead(client.isWritable());
        if (!client.isActive() || !target.isActive()) {
            client.close();
            target.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf chunk)) {
            // the codec's end of the handshake message, already answered
            ReferenceCountUtil.release(msg);
            return;
        }
        if (held != null) {
            held.add(chunk);
            return;
        }
        forward(chunk);
    }

    private void open() {
        ArrayDeque<ByteBuf> early = held;
        held = null;
        for (ByteBuf chunk; (chunk = early.poll()) != null; ) {
            forward(chunk);
        }
        flush();
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
            if (out.channel().isWritable()) {
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
    }

    /** This socket took what the opposite direction wrote to it: that direction may read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closing != null) {
            closing.webSocketClosed();
        }
        peer.ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ArrayDeque<ByteBuf> early = held;
        held = null;
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
