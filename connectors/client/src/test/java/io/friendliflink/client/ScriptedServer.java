package io.friendliflink.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on 127.0.0.1 whose responses are scripted at the byte level, in the spirit of
 * OkHttp's MockWebServer: it records what it received (and on which connection) and lets a test send
 * partial bodies, several TCP writes, stalls and disconnects.
 */
final class ScriptedServer implements AutoCloseable {

    /** A request as the server read it; header names are lower-cased. */
    record Recorded(int connection, String method, String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How the server answers one request. */
    @FunctionalInterface
    interface Script {
        void respond(Recorded request, Reply reply) throws IOException;
    }

    /** The response side of one connection. */
    static final class Reply {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final ScriptedServer server;
        private final int connection;

        Reply(Socket socket, ScriptedServer server, int connection) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
            this.server = server;
            this.connection = connection;
        }

        /** One TCP write (TCP_NODELAY is on), flushed at once. */
        Reply write(String text) throws IOException {
            return write(text.getBytes(StandardCharsets.UTF_8));
        }

        Reply write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** A complete response with a Content-Length body. */
        Reply full(int status, String contentType, String body, String... headerLines) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
            head.append("Content-Type: ").append(contentType).append("\r\n");
            head.append("Content-Length: ").append(b.length).append("\r\n");
            for (String h : headerLines) {
                head.append(h).append("\r\n");
            }
            head.append("\r\n");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
            all.writeBytes(b);
            return write(all.toByteArray());
        }

        Reply json(int status, String body, String... headerLines) throws IOException {
            return full(status, "application/json", body, headerLines);
        }

        /** A chunked {@code text/event-stream}: each piece is its own chunk and its own TCP write. */
        Reply sse(List<byte[]> pieces, boolean terminate) throws IOException {
            write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (byte[] piece : pieces) {
                write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                write(piece);
                write("\r\n");
            }
            if (terminate) {
                write("0\r\n\r\n");
            }
            return this;
        }

        /** Closes the connection (a FIN, or with {@code reset} an RST). */
        void close(boolean reset) throws IOException {
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        }

        /** Sends nothing until the client closes the connection, then records that it did. */
        void stallUntilClientCloses() throws IOException {
            try {
                while (in.read() != -1) {
                    // discard
                }
            } catch (SocketException ignored) {
                // reset by the client: closed as well
            }
            server.closedByClient.add(connection);
            socket.close();
        }
    }

    private final Script script;
    private final ServerSocket serverSocket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-server");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Recorded> arrivals = new LinkedBlockingQueue<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    final BlockingQueue<Integer> closedByClient = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    ScriptedServer(Script script) throws IOException {
        this.script = script;
        this.serverSocket = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    List<Recorded> requests() {
        return requests;
    }

    Recorded onlyRequest() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests.size());
        }
        return requests.get(0);
    }

    /** Waits for the next request to arrive (all requests stay in {@link #requests()} as well). */
    Recorded takeRequest() throws InterruptedException {
        Recorded r = arrivals.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request arrived within 10 s");
        }
        return r;
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    int maxConcurrentConnections() {
        return maxOpen.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                int id = accepted.incrementAndGet();
                maxOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
                sockets.add(socket);
                threads.execute(() -> serve(socket, id));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket, int id) {
        try (socket) {
            socket.setTcpNoDelay(true);
            Reply reply = new Reply(socket, this, id);
            InputStream in = socket.getInputStream();
            while (!socket.isClosed()) {
                Recorded request = read(in, id);
                if (request == null) {
                    closedByClient.add(id);
                    return;
                }
                requests.add(request);
                arrivals.add(request);
                script.respond(request, reply);
            }
        } catch (IOException e) {
            // the client went away; nothing to report
        } finally {
            openNow.decrementAndGet();
            sockets.remove(socket);
        }
    }

    private static Recorded read(InputStream in, int connection) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Recorded(connection, parts[0], parts[1], headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        serverSocket.close();
        for (Socket s : sockets) {
            s.close();
        }
        threads.shutdownNow();
    }
}
