package io.unwind.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plain TCP relay in front of a node (anvil serves HTTP and WebSocket on one port), or of a database server, that can
 * be taken down and brought back on the same port: while down, nothing listens there and every open connection is
 * closed, so the keeper sees what it sees when the node's process stops (connection refused), not a misbehaving proxy.
 */
final class TcpCut implements AutoCloseable {
    private final InetSocketAddress upstream;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    TcpCut(URI node) {
        this.upstream = new InetSocketAddress(node.getHost(), node.getPort());
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        up();
    }

    /** The port the relay listens on (a database's, in front of PostgreSQL). */
    int port() {
        return port;
    }

    URI httpUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    URI wsUrl() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    /** Listens again on the same port. */
    synchronized void up() {
        if (server != null) return;
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = s;
            Thread.ofVirtual().name("tcp-cut-accept").start(() -> accept(s));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + port + " again", e);
        }
    }

    /** Stops listening and closes every connection: the node is gone. */
    synchronized void down() {
        ServerSocket s = server;
        server = null;
        if (s != null) closeQuietly(s);
        for (Socket c : open) closeQuietly(c);
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket node = new Socket();
                node.connect(upstream, 5_000);
                open.add(client);
                open.add(node);
                Thread.ofVirtual().start(() -> pipe(client, node));
                Thread.ofVirtual().start(() -> pipe(node, client));
            } catch (IOException e) {
                // closed by down(), or one connection failed
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
    }
}
