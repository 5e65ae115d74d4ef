package io.reefline.system;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The network path from the hub to one reef's Kubernetes API, as a local TCP relay that a test can cut and restore.
 * Cut: the relay stops listening and drops every open connection (watches included), so the hub's calls are refused
 * while the reef itself, its kubelet and its instances, keep running, as when the link between two regions is lost.
 * Restored: it listens on the same port again.
 */
final class ReefLink implements AutoCloseable {

    private final InetSocketAddress reef;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "reef-link");
        thread.setDaemon(true);
        return thread;
    });
    private ServerSocket listening;

    private ReefLink(InetSocketAddress reef, int port) {
        this.reef = reef;
        this.port = port;
    }

    /** A link to the API server at {@code url}, up. */
    static ReefLink to(String url) {
        URI api = URI.create(url);
        ReefLink link = new ReefLink(new InetSocketAddress(api.getHost(), api.getPort()), ServiceProcess.freePort());
        link.restore();
        return link;
    }

    /** What the hub uses as the reef's API server. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void restore() {
        if (listening != null) {
            return;
        }
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listening = server;
            threads.submit(() -> accept(server));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + port + " again", e);
        }
    }

    synchronized void cut() {
        if (listening == null) {
            return;
        }
        quietly(listening);
        listening = null;
        open.forEach(ReefLink::quietly);
        open.clear();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket hub;
            try {
                hub = server.accept();
            } catch (IOException e) {
                return; // cut
            }
            Socket api = new Socket();
            try {
                api.connect(reef, 2000);
            } catch (IOException e) {
                quietly(hub);
                quietly(api);
                continue;
            }
            open.add(hub);
            open.add(api);
            if (server.isClosed()) {
                quietly(hub);
                quietly(api);
                return;
            }
            threads.submit(() -> pump(hub, api));
            threads.submit(() -> pump(api, hub));
        }
    }

    /** Copies one direction; the end of one side's stream half-closes the other, an error closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            quietly(from);
            quietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    @Override
    public void close() {
        cut();
        threads.shutdownNow();
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
