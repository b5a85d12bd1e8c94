package io.friendliflink.client;

import io.friendliflink.api.response.ErrorBodyParser;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.api.response.MalformedBodyException;
import io.friendliflink.api.response.ResponseParser;
import io.friendliflink.api.response.ApiError;
import io.friendliflink.api.sse.SseParser;
import io.friendliflink.api.sse.StreamErrorException;
import io.friendliflink.api.sse.StreamAssembler;
import io.friendliflink.api.sse.TruncatedStreamException;
import io.friendliflink.client.TransportException.Cause;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One keep-alive HTTP/1.1 connection of a {@link ConnectionPool}, running one {@link Exchange} at a time.
 *
 * <p>Everything here runs on the channel's event loop, which is also the pool's: no locks, no hops. The
 * response body is copied once, as it arrives, into the {@code byte[]} that becomes {@link
 * HttpResult#rawBody()} (sized from {@code Content-Length} when known), so network buffers are released
 * at once instead of being held until the response ends; a stream's bytes are fed from that same array to
 * the SSE parser.
 */
final class PooledConnection extends ChannelInboundHandlerAdapter {
    private static final AsciiString JSON = AsciiString.cached("application/json");
    private static final int UNKNOWN_LENGTH_INITIAL_CAPACITY = 1024;

    private final ConnectionPool pool;
    private final RequestFactory requests;
    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private final int maxResponseBytes;
    private final String endpoint;

    private Channel channel;
    private Exchange current;
    private ScheduledFuture<?> timeout;
    private long startNanos;
    private long firstOutputNanos;

    // State of the response being read; reset per exchange.
    private boolean informational;
    private int status;
    private HttpHeaders headers;
    private boolean keepAlive;
    private byte[] body;
    private int size;
    private StreamAssembler assembler;
    private SseParser sse;

    PooledConnection(ConnectionPool pool, RequestFactory requests, LongSupplier nanoClock, Clock wallClock,
            int maxResponseBytes, String endpoint) {
        this.pool = pool;
        this.requests = requests;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.maxResponseBytes = maxResponseBytes;
        this.endpoint = endpoint;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
    }

    Channel channel() {
        return channel;
    }

    boolean isUsable() {
        return current == null && channel.isActive();
    }

    /** Writes the exchange's request; called on the event loop by the pool. */
    void start(Exchange exchange) {
        current = exchange;
        informational = false;
        status = 0;
        headers = null;
        body = null;
        size = 0;
        assembler = null;
        sse = null;
        firstOutputNanos = -1;
        startNanos = nanoClock.getAsLong();
        timeout = channel.eventLoop().schedule(() -> onTimeout(exchange), exchange.timeoutNanos, TimeUnit.NANOSECONDS);
        // A void promise: a failed write reaches exceptionCaught, so no listener is allocated per request.
        channel.writeAndFlush(requests.create(exchange), channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (current == null) {
                // Nothing was asked: a server talking out of turn cannot be trusted with the next request.
                ctx.close();
                return;
            }
            if (msg instanceof HttpResponse) {
                onHeaders((HttpResponse) msg);
            }
            if (current != null && msg instanceof HttpContent) {
                onContent((HttpContent) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHeaders(HttpResponse response) {
        if (failedToDecode(response.decoderResult())) {
            return;
        }
        int code = response.status().code();
        if (code >= 100 && code < 200) {
            informational = true; // e.g. "100 Continue": the real response follows
            return;
        }
        informational = false;
        status = code;
        headers = response.headers();
        keepAlive = HttpUtil.isKeepAlive(response);
        long length = HttpUtil.getContentLength(response, -1L);
        if (length > maxResponseBytes) {
            fail(Cause.MALFORMED_RESPONSE, "response body of " + length + " bytes from " + path()
                    + " exceeds maxResponseBytes (" + maxResponseBytes + ")", null);
            return;
        }
        body = new byte[length >= 0 ? (int) length : UNKNOWN_LENGTH_INITIAL_CAPACITY];
        if (current.stream && isSuccess() && !isJson(headers)) {
            assembler = new StreamAssembler(current.kind);
            sse = new SseParser(assembler::accept);
        }
    }

    private void onContent(HttpContent content) {
        if (failedToDecode(content.decoderResult())) {
            return;
        }
        if (informational) {
            informational = !(content instanceof LastHttpContent);
            return;
        }
        ByteBuf data = content.content();
        int n = data.readableBytes();
        if (n > 0) {
            if (n > maxResponseBytes - size) {
                fail(Cause.MALFORMED_RESPONSE, "response body from " + path() + " exceeds maxResponseBytes ("
                        + maxResponseBytes + ")", null);
                return;
            }
            if (size + n > body.length) {
                body = Arrays.copyOf(body, (int) Math.min(maxResponseBytes, Math.max(size + n, 2L * body.length)));
            }
            data.getBytes(data.readerIndex(), body, size, n);
            int offset = size;
            size += n;
            if (sse != null) {
                try {
                    sse.feed(body, offset, n);
                } catch (RuntimeException e) {
                    failWith(parseFailure(e));
                    return;
                }
                if (firstOutputNanos < 0 && assembler.sawOutput()) {
                    firstOutputNanos = nanoClock.getAsLong() - startNanos;
                }
            }
        }
        if (content instanceof LastHttpContent) {
            onComplete();
        }
    }

    private void onComplete() {
        Exchange exchange = current;
        long latency = nanoClock.getAsLong() - startNanos;
        byte[] raw = size == body.length ? body : Arrays.copyOf(body, size);
        RateLimitHeaders rateLimit = RateLimitHeaderParser.parse(headers, wallClock);
        HttpResult result = null;
        RuntimeException failure = null;
        try {
            result = toResult(exchange, raw, rateLimit, latency);
        } catch (RuntimeException e) {
            failure = parseFailure(e);
        }
        // A response that could not be used (a stream cut short of its end marker, a broken body) says the server
        // is in trouble, and it often closes the connection right after: handing it on would send the next
        // request into a connection about to close, where it fails without ever reaching the server.
        boolean reusable = keepAlive && failure == null;
        finishExchange();
        // The connection is handed on before the caller's callbacks run, so the next request need not wait.
        if (reusable) {
            pool.release(this);
        } else {
            channel.close();
        }
        if (failure == null) {
            exchange.future.complete(result);
        } else {
            exchange.future.completeExceptionally(failure);
        }
    }

    /**
     * What a parser's exception means for the attempt. An {@code error} event inside a 2xx stream is not an
     * HTTP error status, and the attempt has no usable result, so it fails like a malformed response (its
     * {@link ApiError} stays reachable as the cause).
     */
    private RuntimeException parseFailure(RuntimeException e) {
        if (e instanceof TruncatedStreamException) {
            return new TransportException(Cause.TRUNCATED_STREAM,
                    "stream from " + path() + " ended before its end marker: " + e.getMessage(), e);
        }
        if (e instanceof StreamErrorException) {
            return new TransportException(Cause.MALFORMED_RESPONSE,
                    "stream from " + path() + " failed: " + e.getMessage(), e);
        }
        if (e instanceof MalformedBodyException) {
            return new TransportException(Cause.MALFORMED_RESPONSE, "HTTP " + status + " " + (sse != null ? "stream" : "body")
                    + " from " + path() + " is not what the API documents: " + e.getMessage(), e);
        }
        return e; // a bug in a parser: surface it as it is
    }

    private HttpResult toResult(Exchange exchange, byte[] raw, RateLimitHeaders rateLimit, long latency) {
        if (!isSuccess()) {
            return new HttpResult(status, rateLimit, latency, -1, raw, null, ErrorBodyParser.parse(raw));
        }
        InferenceResult result;
        if (sse != null) {
            sse.end();
            result = assembler.finish();
        } else if (exchange.kind.isGeneration()) {
            result = ResponseParser.parse(exchange.kind, raw);
        } else {
            result = null; // tokenize / detokenize: FriendliClient reads rawBody itself
        }
        return new HttpResult(status, rateLimit, latency, sse == null ? -1 : firstOutputNanos, raw, result, null);
    }

    private void onTimeout(Exchange exchange) {
        if (current == exchange) {
            fail(Cause.TIMEOUT, "no complete response from " + path() + " within "
                    + TimeUnit.NANOSECONDS.toMillis(exchange.timeoutNanos) + " ms", null);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            fail(Cause.CONNECTION_RESET, "connection to " + endpoint + " closed before the response to "
                    + path() + " was complete", null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (current == null) {
            ctx.close();
            return;
        }
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (cause instanceof DecoderException && !(root instanceof IOException)) {
            // e.g. a corrupt gzip body or a header block that is too long
            fail(Cause.MALFORMED_RESPONSE, "undecodable response from " + path() + ": " + root, cause);
        } else {
            fail(Cause.CONNECTION_RESET, "connection to " + endpoint + " failed during " + path() + ": " + root,
                    cause);
        }
    }

    private boolean failedToDecode(DecoderResult result) {
        if (result.isSuccess()) {
            return false;
        }
        Throwable cause = result.cause();
        Cause reason = cause instanceof TooLongFrameException || !(cause instanceof IOException)
                ? Cause.MALFORMED_RESPONSE
                : Cause.CONNECTION_RESET;
        fail(reason, "undecodable response from " + path() + ": " + cause, cause);
        return true;
    }

    private void fail(Cause reason, String message, Throwable cause) {
        failWith(new TransportException(reason, message, cause));
    }

    /** Fails the current exchange and closes the connection: its state is unknown, so it is never reused. */
    private void failWith(RuntimeException failure) {
        Exchange exchange = current;
        finishExchange();
        channel.close();
        exchange.future.completeExceptionally(failure);
    }

    private void finishExchange() {
        current = null;
        body = null;
        headers = null;
        sse = null;
        assembler = null;
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    private static boolean isJson(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && AsciiString.regionMatches(type, true, 0, JSON, 0, JSON.length());
    }

    /** For messages: the path the current exchange was sent to. */
    private String path() {
        return current == null ? "?" : requests.path(current);
    }
}
