package io.unwind.app.cli;

import io.unwind.app.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * {@code unwind devnet} started in-process on a background thread, as a user starts it in a terminal; closing it
 * interrupts the command, which stops anvil.
 */
final class Devnet implements AutoCloseable {
    final Path dir;
    final Path config;
    final int httpPort;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Thread thread;
    private volatile int exit = -1;

    Devnet(Path dir, String... more) throws InterruptedException {
        this.dir = dir;
        this.config = dir.resolve("unwind.yaml");
        this.httpPort = freePort();
        java.util.List<String> args = new java.util.ArrayList<>(
                java.util.List.of("devnet", "--dir", dir.toString(), "--http-port", Integer.toString(httpPort)));
        args.addAll(java.util.List.of(more));
        thread = new Thread(
                () -> exit = Main.execute(
                        new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new)),
                "test-devnet");
        thread.setDaemon(true);
        thread.start();
        // The summary is printed once the market is deployed, the accounts funded and both files written.
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!out.toString().contains("Ctrl-C stops the devnet")) {
            if (!thread.isAlive()) throw new IllegalStateException("devnet exited " + exit + ": " + out + err);
            if (System.nanoTime() > deadline) throw new IllegalStateException("devnet did not come up: " + out + err);
            Thread.sleep(100);
        }
    }

    String output() {
        return out.toString();
    }

    /**
     * A port p with p + 1 free too, for a config that gives its second chain's status page the next port. Two ports
     * asked of the system one after the other are often neighbours: a port free alone may have an anvil on the next.
     */
    static int freePortPair() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = freePort();
            try {
                new ServerSocket(p + 1, 50, java.net.InetAddress.getLoopbackAddress()).close();
                return p;
            } catch (java.io.IOException taken) {
                // the next port is in use: try another pair
            }
        }
        throw new IllegalStateException("no two neighbouring free ports found in 50 tries");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the devnet stopped", e);
        }
    }
}
