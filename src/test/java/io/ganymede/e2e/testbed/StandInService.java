package io.ganymede.e2e.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Service's virtual address, for processes the test starts outside the test bed's pods (hub
 * replicas): one loopback port in front of several endpoints, each TCP connection passed to the
 * next endpoint in turn. An endpoint that refuses the connection is skipped, as kube-proxy stops
 * sending to a pod once its EndpointSlice drops it; a connection already open to an endpoint that
 * dies breaks, as it would behind kube-proxy.
 */
public final class StandInService implements AutoCloseable {

    private final ServerSocket socket;
    private final List<InetSocketAddress> endpoints = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stand-in-service");
        t.setDaemon(true);
        return t;
    });

    public StandInService() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        work.submit(this::accept);
    }

    /** The Service's URL, as {@code http://<service>:<port>} would be in the cluster. */
    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Adds a ready endpoint (a replica's loopback port). */
    public void endpoint(int port) {
        endpoints.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                work.submit(() -> forward(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        Socket backend = connect();
        if (backend == null) {
            close(client);
            return;
        }
        AtomicInteger open = new AtomicInteger(2);
        work.submit(() -> pipe(client, backend, open));
        pipe(backend, client, open);
    }

    /** The next endpoint that accepts a connection, or null when none does. */
    private Socket connect() {
        int start = next.getAndIncrement();
        for (int i = 0; i < endpoints.size(); i++) {
            InetSocketAddress endpoint = endpoints.get(Math.floorMod(start + i, endpoints.size()));
            Socket backend = new Socket();
            try {
                backend.connect(endpoint, 1000);
                return backend;
            } catch (IOException refused) {
                close(backend);
            }
        }
        return null;
    }

    /** One direction; an end of stream is passed on as a half-close, both sockets close when both directions ended. */
    private static void pipe(Socket from, Socket to, AtomicInteger open) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
            if (open.decrementAndGet() > 0) {
                return;
            }
        } catch (IOException broken) {
            // One side went away: so does the other.
        }
        close(from);
        close(to);
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        work.shutdownNow();
    }
}
