package io.ganymede.proxy.forward;

import io.ganymede.proxy.ProxyOptions;
import io.ganymede.proxy.metrics.ProxyMetrics.ErrorKind;
import io.ganymede.proxy.routing.Target;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The target's end of one keep-alive connection: it hands the answer to the {@link PublicHandler}
 * whose request it carries, and watches time. During an exchange the target may stay silent for
 * the idle timeout (then 504); between exchanges the connection stays pooled for the keep-alive
 * timeout. One timer per connection checks both, so no request schedules or cancels a timer.
 */
final class TargetConnection extends ChannelInboundHandlerAdapter implements Runnable {

    private final TargetPool pool;
    private final Target target;
    private final long idleTimeoutNanos;
    private final long keepAliveNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /** The client whose exchange this connection carries; null while pooled. */
    private PublicHandler front;
    private boolean upgrade;
    private boolean informational;
    /** The target's 101 to a WebSocket upgrade, handed on once its (empty) end is read. */
    private HttpResponse switching;
    private boolean keepAlive;
    private long lastUse;

    TargetConnection(TargetPool pool, Target target, ProxyOptions options) {
        this.pool = pool;
        this.target = target;
        this.idleTimeoutNanos = options.idleTimeout().toNanos();
        this.keepAliveNanos = options.keepAliveTimeout().toNanos();
    }

    Target target() {
        return target;
    }

    Channel channel() {
        return ctx.channel();
    }

    void begin(PublicHandler front, boolean upgrade) {
        this.front = front;
        this.upgrade = upgrade;
        this.informational = false;
        this.switching = null;
        this.lastUse = System.nanoTime();
        if (timer == null) {
            schedule(Math.min(idleTimeoutNanos, keepAliveNanos));
        }
    }

    void write(Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    void flush() {
        ctx.flush();
    }

    void pauseReading() {
        ctx.channel().config().setAutoRead(false);
    }

    void resumeReading() {
        ctx.channel().config().setAutoRead(true);
    }

    /** The exchange is over: back to the pool if the connection can carry another, else closed. */
    void end(boolean reusable) {
        front = null;
        if (reusable && keepAlive && !upgrade) {
            lastUse = System.nanoTime();
            pool.release(this);
        } else {
            ctx.close();
        }
    }

    /** The client went away mid-exchange: the half-done exchange makes the connection useless. */
    void abort() {
        front = null;
        ctx.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PublicHandler f = front;
        if (f == null) {
            // Nothing was asked: a target talking out of turn cannot be trusted with the next request.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        lastUse = System.nanoTime();
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                fail(ErrorKind.RESET, response.decoderResult().cause());
                return;
            }
            int status = response.status().code();
            if (status < 200 && !(status == 101 && upgrade)) {
                // 100 Continue and other interim answers: the proxy answered the client's Expect itself.
                informational = true;
            } else if (status == 101) {
                switching = response;
                keepAlive = false;
            } else {
                keepAlive = HttpUtil.isKeepAlive(response);
                f.responseHead(response);
            }
        }
        if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (informational || switching != null) {
                content.release();
                if (last && informational) {
                    informational = false;
                } else if (last) {
                    front = null;
                    f.splice(this, switching);
                }
                return;
            }
            if (content.decoderResult().isFailure()) {
                content.release();
                fail(ErrorKind.RESET, content.decoderResult().cause());
                return;
            }
            f.responseContent(content, last);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        PublicHandler f = front;
        if (f != null) {
            f.flushToClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        PublicHandler f = front;
        if (f != null && ctx.channel().isWritable()) {
            f.targetWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.forget(this);
        cancelTimer();
        if (front != null) {
            fail(ErrorKind.RESET, null);
        }
    }

    /**
     * An I/O error during an exchange is often the request body's write failing because the target
     * answered early and closed (a 413 or 414 for a large upload): its answer may still be there to
     * read. So only the request side ends here; a failed read closes the channel next, and
     * {@link #channelInactive} then fails the exchange if no answer came.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        PublicHandler f = front;
        if (f == null) {
            ctx.close();
        } else if (cause instanceof IOException && ctx.channel().isActive()) {
            f.targetStoppedReading();
        } else {
            fail(ErrorKind.RESET, cause);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void fail(ErrorKind kind, Throwable cause) {
        PublicHandler f = front;
        front = null;
        ctx.close();
        f.targetFailed(kind, cause);
    }

    /** The one timer: the idle timeout during an exchange, the keep-alive timeout between. */
    @Override
    public void run() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long limit = front != null ? idleTimeoutNanos : keepAliveNanos;
        long left = lastUse + limit - System.nanoTime();
        if (left > 0) {
            schedule(Math.min(left, Math.min(idleTimeoutNanos, keepAliveNanos)));
        } else if (front != null) {
            fail(ErrorKind.TIMEOUT, new TimeoutException("no answer within " + TimeUnit.NANOSECONDS.toMillis(limit) + " ms"));
        } else {
            ctx.close();
        }
    }

    private void schedule(long nanos) {
        timer = ctx.executor().schedule(this, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
