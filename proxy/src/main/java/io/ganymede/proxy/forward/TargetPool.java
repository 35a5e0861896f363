package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Target;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One event loop's keep-alive connections to targets. Only that loop touches it, so it needs no
 * locks, and a request and its target connection always share a thread.
 */
final class TargetPool {

    /** Idle connections kept per target; more are closed when they come back. */
    private static final int MAX_IDLE_PER_TARGET = 512;

    private final PublicServer server;
    private final Bootstrap bootstrap;
    private final Map<Target, ArrayDeque<TargetConnection>> idle = new HashMap<>();

    TargetPool(PublicServer server, EventLoop loop) {
        this.server = server;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(server.channels())
                .resolver(server.resolver())
                .option(ChannelOption.TCP_NODELAY, true)
                // A failed write (the target stopped reading the request body) must leave its answer
                // readable; the connection closes when the exchange ends, or fails on read.
                .option(ChannelOption.AUTO_CLOSE, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) server.options().connectTimeout().toMillis());
    }

    /** The most recently used idle connection to {@code target}, or null if there is none. */
    TargetConnection idle(Target target) {
        ArrayDeque<TargetConnection> connections = idle.get(target);
        if (connections == null) {
            return null;
        }
        for (TargetConnection c; (c = connections.pollLast()) != null; ) {
            if (c.channel().isActive()) {
                return c;
            }
        }
        return null;
    }

    /** Opens a new connection to {@code target} and hands it to {@code front} (or the failure). */
    void connect(Target target, PublicHandler front) {
        TargetConnection connection = new TargetConnection(this, target, server.options());
        ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                server.opened(ch);
                if (target.ssl()) {
                    ch.pipeline().addLast(server.tls().newHandler(ch.alloc(), target.host(), target.port()));
                }
                ch.pipeline().addLast(PublicServer.CODEC, new HttpClientCodec(PublicServer.decoderConfig(), false, false))
                        .addLast(PublicServer.PROXY, connection);
            }
        }).connect(target.host(), target.port());
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                front.connected(connection);
            } else {
                front.connectFailed(f.cause());
            }
        });
    }

    /** Takes back a connection whose exchange ended cleanly. */
    void release(TargetConnection connection) {
        ArrayDeque<TargetConnection> connections = idle.computeIfAbsent(connection.target(), t -> new ArrayDeque<>());
        if (connections.size() >= MAX_IDLE_PER_TARGET) {
            connection.channel().close();
        } else {
            connections.addLast(connection);
        }
    }

    /** A connection that closed: it must not be handed out again. */
    void forget(TargetConnection connection) {
        ArrayDeque<TargetConnection> connections = idle.get(connection.target());
        if (connections != null) {
            connections.remove(connection);
            if (connections.isEmpty()) {
                idle.remove(connection.target());
            }
        }
    }
}
