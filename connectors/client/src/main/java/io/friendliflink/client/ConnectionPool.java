package io.friendliflink.client;

import io.friendliflink.client.TransportException.Cause;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * A bounded set of keep-alive connections to one endpoint, owned by one event loop.
 *
 * <p>All state is touched only on that loop, so there are no locks and a request never changes threads
 * once submitted. A request takes the most recently used idle connection (warm, and it lets surplus ones
 * age out at the server), else opens a new one while fewer than {@code maxConnections} are open or
 * opening, else waits in FIFO order; nothing blocks. A connection that closes, breaks or fails an
 * exchange is dropped. A failed connect fails the oldest waiting request; when no connection is left at
 * all, it fails every waiting request, since nothing would serve them.
 */
final class ConnectionPool {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    /** Confined to {@link #loop}, as the rest of the pool's state. */
    private int maxConnections;
    private final String endpoint;

    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private final List<PooledConnection> ready = new ArrayList<>();
    private int open; // connected or connecting
    private boolean closed;

    /** @param bootstrap bound to {@code loop}, with a handler that installs a {@link PooledConnection} */
    ConnectionPool(EventLoop loop, Bootstrap bootstrap, int maxConnections, String endpoint) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.maxConnections = maxConnections;
        this.endpoint = endpoint;
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * Raises (or, negative, lowers) how many connections the pool may open, for a client that more callers
     * share; waiting requests get the new connections at once. Lowering closes nothing: connections beyond the
     * new limit stay until they close for their own reasons, and none is opened while the pool is over it.
     */
    void addCapacity(int delta) {
        try {
            loop.execute(() -> {
                maxConnections = Math.max(1, maxConnections + delta);
                while (!closed && waiting.size() > open - ready.size() && open < maxConnections) {
                    connect();
                }
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing to resize
        }
    }

    void submit(Exchange exchange) {
        if (loop.inEventLoop()) {
            dispatch(exchange);
        } else {
            try {
                loop.execute(() -> dispatch(exchange));
            } catch (RejectedExecutionException e) {
                // close() raced with this submit and the loop is gone
                exchange.future.completeExceptionally(new IllegalStateException("FriendliClient is closed"));
            }
        }
    }

    private void dispatch(Exchange exchange) {
        if (closed) {
            exchange.future.completeExceptionally(new IllegalStateException("FriendliClient is closed"));
            return;
        }
        if (exchange.isAbandoned()) {
            return;
        }
        PooledConnection connection;
        while ((connection = idle.pollLast()) != null) {
            if (connection.isUsable()) {
                connection.start(exchange);
                return;
            }
        }
        waiting.addLast(exchange);
        if (open < maxConnections) {
            connect();
        }
    }

    /** The connection finished an exchange and may be reused. */
    void release(PooledConnection connection) {
        if (closed || !connection.isUsable()) {
            connection.channel().close();
            return;
        }
        Exchange next = nextWaiting();
        if (next != null) {
            connection.start(next);
        } else {
            idle.addLast(connection);
        }
    }

    private void connect() {
        open++;
        ChannelFuture connecting = bootstrap.connect();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                connectFailed(f.cause());
                return;
            }
            Channel channel = connecting.channel();
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls == null) {
                onReady(channel);
                return;
            }
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    onReady(channel);
                } else {
                    channel.close();
                    connectFailed(h.cause());
                }
            });
        });
    }

    private void onReady(Channel channel) {
        PooledConnection connection = channel.pipeline().get(PooledConnection.class);
        if (closed || !channel.isActive()) {
            channel.close();
            connectFailed(new IllegalStateException(closed ? "client closed" : "connection closed at once"));
            return;
        }
        ready.add(connection);
        channel.closeFuture().addListener(f -> onClosed(connection));
        Exchange next = nextWaiting();
        if (next != null) {
            connection.start(next);
        } else {
            idle.addLast(connection);
        }
    }

    private void connectFailed(Throwable cause) {
        open--;
        if (closed) {
            return;
        }
        TransportException failure = new TransportException(Cause.CONNECT,
                "cannot connect to " + endpoint + ": " + cause, cause);
        Exchange head = nextWaiting();
        if (head != null) {
            head.future.completeExceptionally(failure);
        }
        if (open == 0) {
            Exchange e;
            while ((e = waiting.pollFirst()) != null) {
                e.future.completeExceptionally(failure);
            }
        } else if (!waiting.isEmpty() && open < maxConnections) {
            connect();
        }
    }

    private void onClosed(PooledConnection connection) {
        open--;
        ready.remove(connection);
        idle.remove(connection);
        if (!closed && !waiting.isEmpty() && open < maxConnections) {
            connect();
        }
    }

    private Exchange nextWaiting() {
        Exchange e;
        while ((e = waiting.pollFirst()) != null) {
            if (!e.isAbandoned()) {
                return e;
            }
        }
        return null;
    }

    /** Fails waiting requests and closes every connection (in-flight requests fail as reset). */
    void close() {
        if (loop.inEventLoop()) {
            doClose();
        } else {
            // Waits, so that the loop is not shut down under requests this close has yet to fail.
            loop.submit(this::doClose).awaitUninterruptibly();
        }
    }

    private void doClose() {
        if (closed) {
            return;
        }
        closed = true;
        Exchange e;
        while ((e = waiting.pollFirst()) != null) {
            e.future.completeExceptionally(new IllegalStateException("FriendliClient closed before the request was sent"));
        }
        for (PooledConnection c : new ArrayList<>(ready)) {
            c.channel().close();
        }
        idle.clear();
    }
}
