package io.ganymede.proxy.forward;

import io.ganymede.proxy.ProxyOptions;
import io.ganymede.proxy.metrics.ProxyMetrics;
import io.ganymede.proxy.routing.RouteTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The public port, served at the Netty level on the Vert.x event loops, as nginx and CHP forward:
 * each request is parsed once, edited in place and written to a keep-alive connection of the same
 * event loop, and the answer comes back the same way, part by part, never aggregated. Vert.x's
 * HTTP server and client would add a request object, futures and a header copy per request.
 */
public final class PublicServer {

    static final String CODEC = "codec";
    static final String PROXY = "proxy";
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final RouteTable routes;
    private final ProxyOptions options;
    private final ProxyMetrics metrics;
    private final ErrorPages errors;
    private final RouteAccess access;
    private final TokenChecks tokenChecks;
    private final ChannelFactory<? extends Channel> channels;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    /** Every open connection on either side, so that closing the proxy closes them all. */
    private final ChannelGroup open = new DefaultChannelGroup("ganymede-proxy", GlobalEventExecutor.INSTANCE);
    private final Map<EventLoop, TargetPool> pools = new ConcurrentHashMap<>();
    private volatile SslContext tls;
    private Channel listening;

    private PublicServer(VertxInternal vertx, RouteTable routes, ProxyOptions options, ProxyMetrics metrics) {
        this.routes = routes;
        this.options = options;
        this.metrics = metrics;
        this.errors = new ErrorPages(vertx, options.errorTarget(), metrics);
        this.tokenChecks = new TokenChecks(vertx);
        this.access = new RouteAccess(options.authToken(), tokenChecks);
        this.channels = vertx.transport().channelFactory(false);
        this.resolver = vertx.nettyAddressResolverGroup();
    }

    /** Listens on the public port; completes once it accepts connections. */
    public static Future<PublicServer> bind(Vertx vertx, ProxyOptions options, RouteTable routes, ProxyMetrics metrics) {
        VertxInternal vx = (VertxInternal) vertx;
        PublicServer server = new PublicServer(vx, routes, options, metrics);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(vx.getAcceptorEventLoopGroup(), vx.getEventLoopGroup())
                .channelFactory(vx.transport().serverChannelFactory(false))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        server.open.add(ch);
                        ch.pipeline()
                                .addLast(CODEC, new HttpServerCodec(decoderConfig()))
                                .addLast(PROXY, new PublicHandler(server, server.pool(ch.eventLoop())));
                    }
                });
        Promise<PublicServer> bound = Promise.promise();
        bootstrap.bind(ProxyOptions.bindAddress(options.ip()), options.port()).addListener(f -> {
            if (f.isSuccess()) {
                server.listening = ((io.netty.channel.ChannelFuture) f).channel();
                bound.complete(server);
            } else {
                server.errors.close();
                bound.fail(f.cause());
            }
        });
        return bound.future();
    }

    static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig().setMaxInitialLineLength(MAX_HEADER_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES);
    }

    /** The bound port, also when the options asked for 0. */
    public int port() {
        return ((InetSocketAddress) listening.localAddress()).getPort();
    }

    /** Stops accepting and closes every connection, to clients and to targets. */
    public Future<Void> close() {
        Promise<Void> closed = Promise.promise();
        listening.close().addListener(f -> open.close().addListener(g -> {
            errors.close();
            tokenChecks.close();
            closed.complete();
        }));
        return closed.future();
    }

    private TargetPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new TargetPool(this, l));
    }

    RouteTable routes() {
        return routes;
    }

    ProxyOptions options() {
        return options;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    ErrorPages errors() {
        return errors;
    }

    RouteAccess access() {
        return access;
    }

    ChannelFactory<? extends Channel> channels() {
        return channels;
    }

    AddressResolverGroup<InetSocketAddress> resolver() {
        return resolver;
    }

    void opened(Channel target) {
        open.add(target);
    }

    /** For https targets, with the JVM's trust store and host name checks, built on first use. */
    SslContext tls() {
        SslContext context = tls;
        if (context == null) {
            try {
                context = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
            } catch (SSLException e) {
                throw new IllegalStateException("no TLS for https targets: " + e.getMessage(), e);
            }
            tls = context;
        }
        return context;
    }
}
