package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * Copies a stream chunk by chunk with back-pressure: when the destination's write queue is full the
 * source is paused until it drains, so nothing is ever aggregated in memory. Each chunk counts as
 * activity on the route (for WebSockets, a chunk carries one or more frames).
 */
final class Pump {

    private Pump() {
    }

    static void start(ReadStream<Buffer> source, WriteStream<Buffer> destination, Route route,
                      LongAdder bytes, Handler<Void> onEnd) {
        source.handler(chunk -> {
            route.touch();
            bytes.add(chunk.length());
            destination.write(chunk);
            if (destination.writeQueueFull()) {
                source.pause();
                destination.drainHandler(drained -> source.resume());
            }
        });
        source.endHandler(onEnd);
        source.resume();
    }
}
