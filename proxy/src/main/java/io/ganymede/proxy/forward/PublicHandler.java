package io.ganymede.proxy.forward;

import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.metrics.ProxyMetrics.ErrorKind;
import io.ganymede.proxy.routing.Route;
import io.ganymede.proxy.routing.RoutePath;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One client connection on the public port: health checks, routing, then the exchange with a
 * target, one request at a time. The request and the answer pass through as the parts Netty's codec
 * reads (head, body chunks, end), edited in place and flushed once per read. A request that cannot
 * go on yet (its target connection is still being opened, or a pipelined request waits for the one
 * before) is held, and reading from the client pauses meanwhile.
 */
final class PublicHandler extends ChannelInboundHandlerAdapter {

    private static final byte[] HEALTHY = "{\"status\": \"OK\"}".getBytes(StandardCharsets.US_ASCII);

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
        if (discarding || !busy || requestEnded) {
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
        bodySent = false;
        responseStarted = false;
        keepAlive = HttpUtil.isKeepAlive(head);
        http10 = head.protocolVersion() == HttpVersion.HTTP_1_0;
        if (head.decoderResult().isFailure()) {
            keepAlive = false;
            Throwable cause = head.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongFrameException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
            answer(plain(status, status.reasonPhrase() + "\n"));
            return;
        }
        String uri = originalUri;
        if (!uri.startsWith("/")) {
            // absolute-form ("http://host/path"), which proxies must accept: keep the path
            int scheme = uri.indexOf("://");
            int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        if (path.equals("/_chp_healthz") || path.equals("/health")) {
            FullHttpResponse healthy = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(HEALTHY));
            healthy.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, HEALTHY.length);
            answer(healthy);
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
            metrics.response(upgrade ? 403 : 302);
            answer(server.access().refusal(originalUri, matched, upgrade));
            return;
        }
        String forwardedPath = path;
        if (matched.stripPrefix() && matched.segmentCount() > 0) {
            forwardedPath = RoutePath.afterSegments(path, matched.segmentCount());
            if (forwardedPath.equals("/") && !path.endsWith("/")) {
                // Relative links only resolve under the prefix if the browser is at "prefix/".
                FullHttpResponse moved = plain(HttpResponseStatus.MOVED_PERMANENTLY, "");
                moved.headers().set(HttpHeaderNames.LOCATION, path + "/" + (query == null ? "" : "?" + query));
                metrics.response(301);
                answer(moved);
                return;
            }
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER), ctx.voidPromise());
        }
        int framing = ProxyHeaders.toTarget(head, matched, upgrade, remoteAddress, server.options().xForward());
        String targetUri = matched.target().uriFor(query == null ? forwardedPath : forwardedPath + "?" + query);
        if (framing == 0) {
            // No body: head and end go as one message, one buffer; the codec's empty end is dropped.
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, head.method(), targetUri,
                    Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
            requestEnded = true;
        } else {
            head.setUri(targetUri);
            head.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
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

    void responseHead(HttpResponse response) {
        responseStarted = true;
        route.touch();
        int status = response.status().code();
        metrics.response(status);
        int framing = ProxyHeaders.toClient(response, route, request, false);
        boolean noBody = request.method() == HttpMethod.HEAD || status == 204 || status == 304;
        if (!noBody && framing == 0) {
            // delimited by the target closing: chunked for the client, whose connection stays open
            response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        persistence(response);
        ctx.write(response, ctx.voidPromise());
        unflushedToClient = true;
    }

    /** The client connection's fate, as HTTP/1.1 keep-alive rules and the client's request say. */
    private void persistence(HttpResponse response) {
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /** Writes the end of an answer; the connection closes behind it if the client asked so. */
    private void writeLast(Object last) {
        unflushedToClient = false;
        if (keepAlive) {
            ctx.writeAndFlush(last, ctx.voidPromise());
        } else {
            closing = true;
            ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
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
        ProxyHeaders.toClient(switched, route, request, true);
        switched.setProtocolVersion(HttpVersion.HTTP_1_1);
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
        persistence(response);
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

    static FullHttpResponse plain(HttpResponseStatus status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (bytes.length > 0) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        return response;
    }
}
