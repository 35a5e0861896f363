package io.ganymede.proxy.forward;

import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.metrics.ProxyMetrics.ErrorKind;
import io.ganymede.proxy.routing.Route;
import io.ganymede.proxy.routing.RoutePath;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection on the public port: health checks, routing, then the exchange with a
 * target, one request at a time. The request and the answer pass through as the parts Netty's
 * codec reads (head, body chunks, end), edited in place ({@link TargetRequest}, {@link
 * ClientResponse}) and flushed once per read; what the proxy answers itself comes from {@link
 * ProxyAnswers}. A request that cannot go on yet (its target connection is still being opened, or
 * a pipelined request waits for the one before) is held, and reading from the client pauses
 * meanwhile. The state of the exchange stays in this one object, as plain fields, because the code
 * run for every read in either direction needs it.
 */
final class PublicHandler extends ChannelInboundHandlerAdapter {

    private final PublicServer server;
    private final TargetPool pool;
    private final ProxyMetrics metrics;
    private ChannelHandlerContext ctx;
    private String remoteAddress;

    /** Messages read that must wait; while non-null every new one queues behind them. */
    private ArrayDeque<Object> waiting;
    private boolean draining;
    /** Drops the rest of a request body that was answered before it was read. */
    private boolean discarding;
    /** The client asked for the connection to end after this answer; nothing more is read. */
    private boolean closing;

    // The exchange in progress: busy from the request head until the answer's end is written.
    private boolean busy;
    private HttpRequest request;
    private String originalUri;
    private Route route;
    private boolean upgrade;
    private boolean keepAlive;
    private boolean http10;
    /** The target connection, once there is one; null while it is being opened. */
    private TargetConnection target;
    private boolean reused;
    private boolean retried;
    private boolean requestEnded;
    /** The target stopped taking the request body; the rest of it is dropped. */
    private boolean requestCut;
    private boolean bodySent;
    private boolean responseStarted;
    private boolean unflushedToTarget;
    private boolean unflushedToClient;

    PublicHandler(PublicServer server, TargetPool pool) {
        this.server = server;
        this.pool = pool;
        this.metrics = server.metrics();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        remoteAddress = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting != null || !process(msg)) {
            hold(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushToTarget();
        ctx.fireChannelReadComplete();
    }

    /** Handles one message from the client, or returns false, touching nothing, if it has to wait. */
    private boolean process(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return true;
        }
        if (msg instanceof HttpRequest head) {
            if (busy) {
                return false;
            }
            begin(head);
            return true;
        }
        if (!(msg instanceof HttpContent content)) {
            ReferenceCountUtil.release(msg);
            return true;
        }
        boolean last = content instanceof LastHttpContent;
        if (discarding || !busy || requestEnded || requestCut) {
            content.release();
            if (last) {
                discarding = false;
            }
            return true;
        }
        if (target == null) {
            return false;
        }
        int length = content.content().readableBytes();
        if (length > 0) {
            bodySent = true;
            route.touch();
            metrics.bytesFromClients().add(length);
        }
        target.write(content);
        unflushedToTarget = true;
        if (last) {
            requestEnded = true;
        } else if (!target.channel().isWritable()) {
            // Paused before the flush: a flush that drains at once reports it synchronously.
            ctx.channel().config().setAutoRead(false);
            flushToTarget();
            if (target != null && target.channel().isWritable()) {
                targetWritable();
            }
        }
        return true;
    }

    private void hold(Object msg) {
        if (waiting == null) {
            waiting = new ArrayDeque<>(4);
            ctx.channel().config().setAutoRead(false);
        }
        waiting.add(msg);
    }

    /** Goes on with held messages as far as the exchange allows; reads again once none wait. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (waiting != null) {
                Object next = waiting.peek();
                if (next == null) {
                    waiting = null;
                    break;
                }
                if (!process(next)) {
                    break;
                }
                waiting.poll();
            }
        } finally {
            draining = false;
        }
        flushToTarget();
        if (waiting == null && !(busy && upgrade) && (target == null || target.channel().isWritable())) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * A new exchange: what the proxy answers itself (a malformed head, a health check, no route, a
     * refused access, a missing slash) is answered here; anything else is forwarded.
     */
    private void begin(HttpRequest head) {
        busy = true;
        request = head;
        originalUri = head.uri();
        route = null;
        target = null;
        upgrade = false;
        reused = false;
        retried = false;
        requestEnded = false;
        requestCut = false;
        bodySent = false;
        responseStarted = false;
        keepAlive = HttpUtil.isKeepAlive(head);
        http10 = head.protocolVersion() == HttpVersion.HTTP_1_0;
        if (head.decoderResult().isFailure()) {
            keepAlive = false;
            answer(ProxyAnswers.malformed(head.decoderResult().cause()));
            return;
        }
        if (!ProxyHeaders.bodyEndKnown(head.headers())) {
            // The codec would wait for chunks that may never come, and so would the target.
            keepAlive = false;
            answer(ProxyAnswers.unknownBodyEnd());
            return;
        }
        String uri = TargetRequest.originForm(originalUri);
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        if (ProxyAnswers.isHealthCheck(path)) {
            answer(ProxyAnswers.healthy());
            return;
        }
        upgrade = head.method() == HttpMethod.GET
                && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(head.headers().get(HttpHeaderNames.UPGRADE));
        if (upgrade) {
            metrics.webSocketUpgrade();
        } else {
            metrics.httpRequest();
        }
        Route matched = server.routes().match(RoutePath.decode(path));
        if (matched == null) {
            server.errors().fail(this, 404, ErrorKind.NO_ROUTE, null);
            return;
        }
        route = matched;
        if (matched.accessUrl() != null && !server.access().allowed(head.headers(), matched)) {
            String token = RouteAccess.apiToken(head.headers());
            if (token != null) {
                checkToken(head, matched, token, path, query);
                return;
            }
            metrics.response(upgrade ? 403 : 302);
            answer(server.access().refusal(originalUri, matched, upgrade));
            return;
        }
        admitted(head, matched, path, query);
    }

    /**
     * An API token on a gated route: the exchange waits (its body held, as while a target
     * connection opens) until the hub has said whether the token may use the route.
     */
    private void checkToken(HttpRequest head, Route matched, String token, String path, String query) {
        server.access().check(token, matched).onComplete(checked -> ctx.executor().execute(() -> {
            if (!busy || request != head) {
                return; // the client went away meanwhile
            }
            TokenChecks.Verdict verdict = checked.succeeded() ? checked.result() : TokenChecks.unavailable();
            if (verdict.passes()) {
                // The proxy was the app's login: the app gets no hub credential it could reuse
                // (a shared server's owner must not receive the visitor's token).
                head.headers().remove(HttpHeaderNames.AUTHORIZATION);
                admitted(head, matched, path, query);
                drain();
                return;
            }
            metrics.response(verdict.status());
            answer(RouteAccess.refusal(verdict));
        }));
    }

    /** A request the route's gate let through: the slash a stripped prefix needs, else on to the target. */
    private void admitted(HttpRequest head, Route matched, String path, String query) {
        String forwardedPath = path;
        if (matched.stripPrefix() && matched.segmentCount() > 0) {
            forwardedPath = RoutePath.afterSegments(path, matched.segmentCount());
            if (forwardedPath.equals("/") && !path.endsWith("/")) {
                metrics.response(301);
                answer(ProxyAnswers.addSlash(path, query));
                return;
            }
        }
        forward(head, matched, forwardedPath, query);
    }

    /** Sends an admitted request on to its route's target, on an idle connection or a new one. */
    private void forward(HttpRequest head, Route matched, String path, String query) {
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(ProxyAnswers.continue100(), ctx.voidPromise());
        }
        request = TargetRequest.of(head, matched, path, query, upgrade, remoteAddress, server.options().xForward());
        // A request without a body leaves as one message, its end included.
        requestEnded = request != head;
        if (upgrade) {
            // Nothing may be read as HTTP once the target has switched protocols.
            ctx.channel().config().setAutoRead(false);
        }
        TargetConnection idle = upgrade ? null : pool.idle(matched.target());
        if (idle != null) {
            reused = true;
            start(idle);
        } else {
            pool.connect(matched.target(), this);
        }
    }

    private void start(TargetConnection connection) {
        target = connection;
        connection.begin(this, upgrade);
        connection.write(request);
        unflushedToTarget = true;
        if (retried && requestEnded && !(request instanceof FullHttpRequest)) {
            connection.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    /** A new target connection for the exchange in progress (called on this loop). */
    void connected(TargetConnection connection) {
        if (!ctx.channel().isActive() || !busy) {
            connection.abort();
            return;
        }
        reused = false;
        start(connection);
        drain();
    }

    void connectFailed(Throwable cause) {
        if (ctx.channel().isActive() && busy && target == null) {
            server.errors().fail(this, 503, ErrorKind.CONNECT, cause);
        }
    }

    /** The target connection broke, closed or timed out before its answer ended. */
    void targetFailed(ErrorKind kind, Throwable cause) {
        target = null;
        if (responseStarted) {
            // Half an answer is out: only a cut connection tells the client it is incomplete.
            metrics.error(kind);
            ctx.close();
            return;
        }
        if (kind == ErrorKind.RESET && reused && !retried && requestEnded && !bodySent) {
            // A pooled connection the target had just closed: the request never reached it.
            retried = true;
            pool.connect(route.target(), this);
            return;
        }
        server.errors().fail(this, kind == ErrorKind.TIMEOUT ? 504 : 503, kind, cause);
    }

    /**
     * Writing the request body to the target failed: it answered early and closed, or is going
     * away. Its answer, if one comes, is still passed on; the rest of the client's body is read
     * and dropped meanwhile, and the client's connection closes after the answer, since the
     * request was never read to its end.
     */
    void targetStoppedReading() {
        if (requestCut || requestEnded) {
            return;
        }
        requestCut = true;
        keepAlive = false;
        if (waiting == null) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    void responseHead(HttpResponse response) {
        responseStarted = true;
        if (!requestEnded) {
            // Answered before the request was sent in full: when the answer ends, so does the
            // target connection, and the rest of the body has nowhere to go. The client's
            // connection closes after the answer rather than read all of it only to drop it.
            keepAlive = false;
        }
        route.touch();
        metrics.response(response.status().code());
        ClientResponse.prepare(response, route, request, keepAlive, http10);
        ctx.write(response, ctx.voidPromise());
        unflushedToClient = true;
    }

    /**
     * Writes the end of an answer; the connection closes behind it if the client asked so, or if
     * the request's body was not read to its end.
     */
    private void writeLast(Object last) {
        unflushedToClient = false;
        if (keepAlive) {
            ctx.writeAndFlush(last, ctx.voidPromise());
        } else if (requestEnded) {
            closing = true;
            ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        } else {
            closing = true;
            ctx.writeAndFlush(last).addListener(LingeringClose.AFTER_WRITE);
        }
    }

    void responseContent(HttpContent content, boolean last) {
        int length = content.content().readableBytes();
        if (length > 0) {
            route.touch();
            metrics.bytesFromTargets().add(length);
        }
        if (last) {
            TargetConnection done = target;
            target = null;
            done.end(requestEnded);
            writeLast(content);
            endExchange();
            return;
        }
        ctx.write(content, ctx.voidPromise());
        unflushedToClient = true;
        if (!ctx.channel().isWritable()) {
            target.pauseReading();
            flushToClient();
            if (target != null && ctx.channel().isWritable()) {
                target.resumeReading();
            }
        }
    }

    /** The target switched to WebSocket: pass its 101 on and splice the two sockets. */
    void splice(TargetConnection connection, HttpResponse switched) {
        target = null;
        metrics.response(101);
        route.touch();
        ClientResponse.prepareUpgrade(switched, route, request);
        ctx.writeAndFlush(switched, ctx.voidPromise());
        metrics.webSocketOpened();
        releaseWaiting();
        Relay.splice(ctx.channel(), connection.channel(), route, metrics);
    }

    /** An answer made by the proxy itself ends the exchange. */
    void answer(FullHttpResponse response) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        if (target != null) {
            target.abort();
            target = null;
        }
        ClientResponse.persistence(response, keepAlive, http10);
        writeLast(response);
        endExchange();
    }

    private void endExchange() {
        busy = false;
        if (!requestEnded) {
            discarding = true;
        }
        request = null;
        route = null;
        drain();
    }

    void flushToClient() {
        if (unflushedToClient) {
            unflushedToClient = false;
            ctx.flush();
        }
    }

    private void flushToTarget() {
        if (unflushedToTarget && target != null) {
            unflushedToTarget = false;
            target.flush();
        }
    }

    void targetWritable() {
        if (waiting == null) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (target != null && ctx.channel().isWritable()) {
            target.resumeReading();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (target != null) {
            target.abort();
            target = null;
        }
        busy = false;
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void releaseWaiting() {
        ArrayDeque<Object> held = waiting;
        waiting = null;
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
        }
    }

    // For ErrorPages: what the failed request was, and where its answer goes.

    HttpMethod method() {
        return request == null ? HttpMethod.GET : request.method();
    }

    String originalUri() {
        return originalUri;
    }

    EventExecutor executor() {
        return ctx.executor();
    }
}
