package io.friendliflink.operator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP/1.1 server on 127.0.0.1 that answers each request from a queue of canned answers kept per
 * {@code custom_id} (read from the request's message content), in the spirit of OkHttp's MockWebServer.
 *
 * <p>It records when each request arrived and how many were in flight at once (read, not yet answered).
 * A request with no canned answer left gets a 200 chat completion.
 */
final class CannedEndpoint implements AutoCloseable {

    /** One request as it arrived. */
    record Arrival(String customId, long atNanos) {}

    /** How to answer one request. */
    @FunctionalInterface
    interface Answer {
        /** Writes the answer; returns {@code false} when the connection must close afterwards. */
        boolean write(String customId, Socket socket) throws IOException;
    }

    private static final Pattern CONTENT = Pattern.compile("\"content\":\"([^\"]*)\"");

    private final ServerSocket serverSocket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "canned-endpoint");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Queue<Answer>> scripts = new ConcurrentHashMap<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile boolean closed;

    CannedEndpoint() throws IOException {
        serverSocket = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + serverSocket.getLocalPort();
    }

    /** Answers the next requests for {@code customId} with {@code answers}, in order. */
    CannedEndpoint script(String customId, Answer... answers) {
        Queue<Answer> queue = scripts.computeIfAbsent(customId, id -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addAll(List.of(answers));
        }
        return this;
    }

    List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    long arrivalsOf(String customId) {
        return arrivals.stream().filter(a -> a.customId().equals(customId)).count();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    /** Waits until {@code count} requests in all have arrived. */
    void awaitArrivals(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (arrivals.size() < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("expected " + count + " requests, got " + arrivals.size());
            }
            Thread.sleep(5); // polls the server's record; the code under test is never slept
        }
    }

    // ---- canned answers

    static String chatJson(String customId) {
        return "{\"id\":\"chatcmpl-" + customId + "\",\"object\":\"chat.completion\",\"model\":\"m\",\"created\":1,"
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"answer " + customId
                + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
    }

    /** 200 with a chat completion whose content is {@code "answer <custom_id>"}. */
    static Answer ok() {
        return (id, socket) -> full(socket, 200, "application/json", chatJson(id));
    }

    static Answer json(int status, String body, String... headerLines) {
        return (id, socket) -> full(socket, status, "application/json", body, headerLines);
    }

    /** A chunked SSE chat stream whose content is {@code "answer <custom_id>"}; without {@code [DONE]} if cut. */
    static Answer sse(boolean withDone) {
        return (id, socket) -> {
            OutputStream out = socket.getOutputStream();
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[";
            chunk(out, chunk + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"answer \"}}]}\n\n");
            chunk(out, chunk + "{\"index\":0,\"delta\":{\"content\":\"" + id + "\"},\"finish_reason\":\"stop\"}]}\n\n");
            if (withDone) {
                chunk(out, "data: [DONE]\n\n");
            }
            write(out, "0\r\n\r\n");
            return true;
        };
    }

    /** Closes the connection without answering: with {@code reset}, an RST instead of a FIN. */
    static Answer hangUp(boolean reset) {
        return (id, socket) -> {
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
            return false;
        };
    }

    /** Never answers; returns when the client closes the connection. */
    static Answer stall() {
        return (id, socket) -> {
            InputStream in = socket.getInputStream();
            try {
                while (in.read() != -1) {
                    // discard until the client gives up
                }
            } catch (IOException closedByClient) {
                // reset by the client: gone as well
            }
            return false;
        };
    }

    /** Waits (on the server's thread) before answering. */
    static Answer after(Duration delay, Answer answer) {
        return (id, socket) -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return answer.write(id, socket);
        };
    }

    /** Holds the answer until {@code release} opens. */
    static Answer when(CountDownLatch release, Answer answer) {
        return (id, socket) -> {
            try {
                if (!release.await(20, TimeUnit.SECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return answer.write(id, socket);
        };
    }

    private static boolean full(Socket socket, int status, String contentType, String body, String... headerLines)
            throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(b.length).append("\r\n");
        for (String h : headerLines) {
            head.append(h).append("\r\n");
        }
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        return true;
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(out, Integer.toHexString(b.length) + "\r\n");
        out.write(b);
        write(out, "\r\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ---- serving

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            boolean open = true;
            while (open) {
                String body = readRequest(in);
                if (body == null) {
                    return;
                }
                Matcher m = CONTENT.matcher(body);
                String id = m.find() ? m.group(1) : "";
                arrivals.add(new Arrival(id, System.nanoTime()));
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    open = next(id).write(id, socket);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to report
        } finally {
            sockets.remove(socket);
        }
    }

    private Answer next(String customId) {
        Queue<Answer> queue = scripts.get(customId);
        if (queue != null) {
            synchronized (queue) {
                Answer a = queue.poll();
                if (a != null) {
                    return a;
                }
            }
        }
        return ok();
    }

    /** Reads one request; returns its body, or {@code null} at the end of the connection. */
    private static String readRequest(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        int length = 0;
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
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
