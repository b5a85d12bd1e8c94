package io.friendliflink.emulator.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.CheckedRequest;
import io.friendliflink.api.request.CompletionsRequest;
import io.friendliflink.api.request.InferenceRequest;
import io.friendliflink.api.request.RequestCheck;
import io.friendliflink.api.request.ResponseFormat;
import io.friendliflink.api.request.StreamOptions;
import io.friendliflink.api.request.Violation;
import io.friendliflink.client.ApiPaths;
import io.friendliflink.client.Deployment;
import io.friendliflink.emulator.fault.Fault;
import io.friendliflink.emulator.limit.GenerationSlots;
import io.friendliflink.emulator.limit.RateLimitSnapshot;
import io.friendliflink.emulator.limit.RateLimiter;
import io.friendliflink.emulator.model.GeneratedChoice;
import io.friendliflink.emulator.model.Generation;
import io.friendliflink.emulator.wire.Answer;
import io.friendliflink.emulator.wire.JsonBodies;
import io.friendliflink.emulator.wire.SseFrame;
import io.friendliflink.emulator.wire.StreamFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one connection, one at a time, without ever blocking its event loop.
 *
 * <p>The path of a request reads top to bottom in {@link #serve}: route, method, auth, JSON, validation,
 * rate limit, injected error status, generation slot (queue, with {@code timeout_microseconds}),
 * generation, then a JSON or SSE answer paced by the latency model on scheduled tasks. Requests that
 * arrive while one is in progress (pipelining) wait in order, so responses never interleave.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeHandler.class);
    // Trailing content after the body's JSON value is an invalid body, as it is for the real API.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    private static final AsciiString EVENT_STREAM = AsciiString.cached("text/event-stream");
    private static final AsciiString NO_CACHE = AsciiString.cached("no-cache");
    private static final AsciiString POST = AsciiString.cached("POST");
    private static final AsciiString GET = AsciiString.cached("GET");
    /** The emulator's own counters, not part of the API; every other path it serves is in {@link ApiPaths}. */
    static final String STATS_PATH = "/_emulator/stats";

    private final ServerContext sc;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange current;

    ExchangeHandler(ServerContext sc) {
        this.sc = sc;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null) {
            pending.addLast(request);
            return;
        }
        start(request);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null && !current.finished) {
            sc.stats().disconnect();
            current.abandon();
        }
        FullHttpRequest r;
        while ((r = pending.pollFirst()) != null) {
            r.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.warn("closing connection after an unexpected error", cause);
        }
        ctx.close();
    }

    private void start(FullHttpRequest request) {
        Exchange exchange = new Exchange(HttpUtil.isKeepAlive(request));
        current = exchange;
        try {
            serve(exchange, request);
        } catch (RuntimeException e) {
            LOG.error("emulator failed to serve a request", e);
            if (!exchange.responseStarted) {
                exchange.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Emulator error: " + e, "server_error",
                        null, "internal_error");
            } else {
                exchange.reset();
            }
        } finally {
            request.release();
        }
    }

    /** The whole request path, in order; each step answers and returns, or passes the request on. */
    private void serve(Exchange ex, FullHttpRequest request) {
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        ApiPaths.Route route = served(ApiPaths.route(path));
        boolean stats = path.equals(STATS_PATH);
        sc.stats().request(route == null && !stats ? "other" : path);
        if (route == null && !stats) {
            ex.error(HttpResponseStatus.NOT_FOUND, "Unknown path: " + path, "not_found_error", null, "not_found");
            return;
        }
        AsciiString allowed = stats ? GET : POST;
        if (!request.method().asciiName().contentEquals(allowed)) {
            ex.allow = allowed;
            ex.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "Method " + request.method() + " not allowed on " + path + "; use " + allowed,
                    "invalid_request_error", null, "method_not_allowed");
            return;
        }
        if (stats) {
            ex.stats();
            return;
        }
        String refusal = sc.auth().refusal(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (refusal != null) {
            ex.error(HttpResponseStatus.UNAUTHORIZED, refusal, "authentication_error", null, "invalid_api_key");
            return;
        }
        JsonNode body = parse(ex, request.content());
        if (body == null) {
            return;
        }
        ApiKind kind = route.kind();
        if (!kind.isGeneration()) {
            List<Violation> violations = TokenizeBodies.violations(kind, body, sc.model().vocabularySize());
            if (!violations.isEmpty()) {
                ex.violations(violations);
                return;
            }
            if (admit(ex)) {
                ex.tokenize(kind, body);
            }
            return;
        }
        // The shared rules, exactly as the job applies them; the checked request is all the model reads.
        CheckedRequest checked = RequestCheck.check(kind, body);
        if (!checked.isValid()) {
            ex.violations(checked.violations());
            return;
        }
        if (!admit(ex)) {
            return;
        }
        ex.random = sc.nextRandom();
        Fault fault = sc.faults().draw(ex.random);
        if (fault != null) {
            sc.stats().fault(fault);
            if (fault.isErrorStatus()) {
                if (fault == Fault.HTTP_429_RETRY_AFTER) {
                    ex.retryAfterSeconds = 1;
                }
                ex.error(HttpResponseStatus.valueOf(fault.status()), faultMessage(fault),
                        fault.status() == 429 ? "rate_limit_error" : "server_error", null,
                        HttpResponseStatus.valueOf(fault.status()).reasonPhrase().toLowerCase().replace(' ', '_'));
                return;
            }
            ex.fault = fault;
        }
        ex.request = checked.request();
        if (sc.slots() == null) {
            ex.generate();
        } else {
            ex.waitForSlot();
        }
    }

    /**
     * The route when the emulator serves it: every route of {@link ApiPaths} but tokenize and detokenize on
     * OpenAI-compatible urls. OpenAI's API has neither, and the 404 an OpenAI-compatible endpoint gives there
     * is how the job learns it must evaluate by top logprobs.
     */
    private static ApiPaths.Route served(ApiPaths.Route route) {
        boolean openAi = route != null && route.deployment() == Deployment.OPENAI_COMPATIBLE;
        return openAi && !route.kind().isGeneration() ? null : route;
    }

    private JsonNode parse(Exchange ex, ByteBuf content) {
        try {
            JsonNode body = MAPPER.readTree((java.io.InputStream) new ByteBufInputStream(content.duplicate()));
            if (body == null || !body.isObject()) {
                ex.error(HttpResponseStatus.UNPROCESSABLE_ENTITY,
                        "Request body must be a JSON object, was " + (body == null ? "empty" : body.getNodeType()),
                        "invalid_request_error", null, "invalid_json");
                return null;
            }
            return body;
        } catch (JsonProcessingException e) {
            ex.error(HttpResponseStatus.UNPROCESSABLE_ENTITY,
                    "Request body is not valid JSON: " + e.getOriginalMessage(), "invalid_request_error", null,
                    "invalid_json");
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory body failed", e);
        }
    }

    private boolean admit(Exchange ex) {
        RateLimiter limiter = sc.limiter();
        if (!limiter.isActive()) {
            return true;
        }
        RateLimiter.Admission admission = limiter.tryAdmit();
        if (admission.admitted()) {
            return true;
        }
        boolean requests = admission.outcome() == RateLimiter.Admission.Outcome.REQUESTS_EXHAUSTED;
        RateLimitSnapshot s = admission.snapshot();
        String message = requests
                ? "Rate limit exceeded: " + s.limitRequests() + " requests per minute"
                : "Rate limit exceeded: " + s.limitTokens() + " tokens per minute";
        if (sc.retryAfter()) {
            ex.retryAfterSeconds = Math.max(1, (admission.retryAfterNanos() + 999_999_999L) / 1_000_000_000L);
        }
        ex.snapshot = s;
        ex.error(HttpResponseStatus.TOO_MANY_REQUESTS, message, "rate_limit_error", null,
                requests ? "requests_rate_limit_exceeded" : "tokens_rate_limit_exceeded");
        return false;
    }

    private static String faultMessage(Fault fault) {
        return switch (fault.status()) {
            case 429 -> "Too many requests: the server is busy, please retry (injected by the emulator)";
            case 500 -> "Internal server error (injected by the emulator)";
            case 502 -> "Bad gateway: upstream unavailable (injected by the emulator)";
            case 503 -> "Service temporarily unavailable, please retry (injected by the emulator)";
            default -> "Gateway timeout (injected by the emulator)";
        };
    }

    private void next() {
        current = null;
        FullHttpRequest request = pending.pollFirst();
        if (request != null && ctx.channel().isActive()) {
            // off the current call stack, so a long pipeline of instant answers cannot recurse deeply
            ctx.executor().execute(() -> {
                if (current == null) {
                    start(request);
                } else {
                    pending.addFirst(request);
                }
            });
        } else if (request != null) {
            request.release();
        }
    }

    /** One request in progress on this connection: its answer, timers and generation slot. */
    private final class Exchange {
        final boolean keepAlive;
        SplittableRandom random;
        Fault fault;
        InferenceRequest request;
        AsciiString allow;
        long retryAfterSeconds;
        RateLimitSnapshot snapshot;
        GenerationSlots.Ticket ticket;
        boolean holdsSlot;
        boolean responseStarted;
        boolean finished;
        final List<ScheduledFuture<?>> timers = new ArrayList<>(2);

        Exchange(boolean keepAlive) {
            this.keepAlive = keepAlive;
        }

        void waitForSlot() {
            ticket = sc.slots().acquire(ctx.executor(), this::onSlotGranted);
            if (ticket == null) {
                error(HttpResponseStatus.TOO_MANY_REQUESTS, "Server queue is full; retry later",
                        "rate_limit_error", null, "queue_full");
                return;
            }
            if (ticket.isGranted()) {
                holdsSlot = true;
                generate();
                return;
            }
            Long timeout = request.common().timeoutMicroseconds();
            if (timeout != null) {
                long micros = timeout;
                schedule(() -> {
                    if (ticket.cancel()) {
                        error(HttpResponseStatus.TOO_MANY_REQUESTS,
                                "Request timeout: waited " + micros + " microseconds (timeout_microseconds) for a"
                                        + " generation slot",
                                "timeout_error", "timeout_microseconds", "timeout");
                    }
                }, TimeUnit.MICROSECONDS.toNanos(micros));
            }
        }

        private void onSlotGranted() {
            if (finished) {
                sc.slots().release();
                return;
            }
            holdsSlot = true;
            cancelTimers();
            generate();
        }

        void generate() {
            try {
                generateAndAnswer();
            } catch (IllegalArgumentException e) {
                // Rules that need the model (token ids in its vocabulary, a prompt that fits its context) are
                // checked here, not by RequestCheck: still the request's fault, so a 422 that is not retried.
                if (!responseStarted) {
                    error(HttpResponseStatus.UNPROCESSABLE_ENTITY, e.getMessage(), "invalid_request_error", null,
                            "invalid_parameter");
                } else {
                    reset();
                }
            } catch (RuntimeException e) {
                LOG.error("the language model failed on a request that passed validation", e);
                if (!responseStarted) {
                    error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Generation failed: " + e.getMessage(),
                            "server_error", null, "internal_error");
                } else {
                    reset();
                }
            }
        }

        private void generateAndAnswer() {
            Generation generation = sc.model().generate(fault == Fault.INVALID_OUTPUT ? ignoringSchema(request) : request);
            sc.stats().tokens(generation.promptTokens(), generation.completionTokens());
            if (sc.limiter().isActive()) {
                sc.limiter().recordTokens((long) generation.promptTokens() + generation.completionTokens());
            }
            ApiKind kind = request.kind();
            boolean chat = kind.isChat();
            boolean wantsLogprobs = request instanceof ChatCompletionsRequest c
                    ? Boolean.TRUE.equals(c.logprobs())
                    : ((CompletionsRequest) request).logprobs() != null;
            boolean stream = request.isStream();
            StreamOptions options = request.common().streamOptions();
            boolean includeUsage = stream && options != null && Boolean.TRUE.equals(options.includeUsage());
            Answer answer = new Answer(kind, (chat ? "chatcmpl-" : "cmpl-") + hexId(random),
                    request.model() == null ? "" : request.model(), System.currentTimeMillis() / 1000, generation,
                    wantsLogprobs, includeUsage);
            Runnable send = stream ? () -> stream(answer) : () -> json(answer);
            if (fault == Fault.SLOW_RESPONSE) {
                schedule(send, sc.slowResponseDelay().toNanos());
            } else {
                send.run();
            }
        }

        /** The request as a server that does not enforce a {@code json_schema} sees it: asking for any JSON object. */
        private InferenceRequest ignoringSchema(InferenceRequest request) {
            if (!(request.common().responseFormat() instanceof ResponseFormat.JsonSchema)) {
                return request;
            }
            if (request instanceof ChatCompletionsRequest chat) {
                return chat.toBuilder().responseFormat(ResponseFormat.jsonObject()).build();
            }
            return ((CompletionsRequest) request).toBuilder().responseFormat(ResponseFormat.jsonObject()).build();
        }

        private void json(Answer answer) {
            int steps = 0;
            for (GeneratedChoice c : answer.generation().choices()) {
                steps = Math.max(steps, c.tokens().size());
            }
            long delay = sc.latency().totalNanos(steps, random);
            if (delay == 0) {
                writeJson(answer);
            } else {
                schedule(() -> writeJson(answer), delay);
            }
        }

        private void writeJson(Answer answer) {
            ByteBuf buf = ctx.alloc().buffer(512);
            JsonBodies.answer(answer, new ByteBufOutputStream(buf));
            int fullLength = buf.readableBytes();
            if (fault == Fault.MALFORMED_JSON) {
                buf.writerIndex(fullLength / 2);
                respond(HttpResponseStatus.OK, buf);
                return;
            }
            if (fault == Fault.CONNECTION_RESET || fault == Fault.TRUNCATED_STREAM) {
                HttpResponse head = head(HttpResponseStatus.OK, APPLICATION_JSON);
                HttpUtil.setContentLength(head, fullLength);
                buf.writerIndex(fullLength / 2);
                ctx.write(head);
                ctx.writeAndFlush(new DefaultHttpContent(buf));
                if (fault == Fault.CONNECTION_RESET) {
                    reset();
                } else {
                    finish(true);
                }
                return;
            }
            respond(HttpResponseStatus.OK, buf);
        }

        private void stream(Answer answer) {
            List<SseFrame> frames = StreamFrames.of(answer);
            long[] offsets = sc.latency().stepOffsetsNanos(StreamFrames.steps(answer), random);
            int cut = frames.size();
            if (fault == Fault.CONNECTION_RESET || fault == Fault.TRUNCATED_STREAM) {
                cut = Math.max(1, frames.size() / 2);
            } else if (fault == Fault.MALFORMED_JSON) {
                int broken = Math.min(frames.size() - 2, Math.max(0, frames.size() / 2));
                String id = answer.id();
                frames.set(broken, new SseFrame(frames.get(broken).step(),
                        ("data: {\"id\":\"" + id + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\n\n")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            HttpResponse head = head(HttpResponseStatus.OK, EVENT_STREAM);
            head.headers().set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
            new FrameSender(frames, offsets, cut, System.nanoTime()).run();
        }

        /** Sends the frames whose step is due, then sleeps on the event loop until the next one is. */
        private final class FrameSender implements Runnable {
            final List<SseFrame> frames;
            final long[] offsets;
            final int cut;
            final long startNanos;
            int next;

            FrameSender(List<SseFrame> frames, long[] offsets, int cut, long startNanos) {
                this.frames = frames;
                this.offsets = offsets;
                this.cut = cut;
                this.startNanos = startNanos;
            }

            @Override
            public void run() {
                if (finished) {
                    return;
                }
                long elapsed = System.nanoTime() - startNanos;
                while (next < cut && due(frames.get(next).step(), elapsed)) {
                    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(frames.get(next).bytes())));
                    next++;
                }
                if (next < cut) {
                    ctx.flush();
                    schedule(this, offsets[frames.get(next).step()] - elapsed);
                    return;
                }
                if (cut < frames.size()) {
                    ctx.flush();
                    if (fault == Fault.CONNECTION_RESET) {
                        reset();
                    } else {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                        finish(true);
                    }
                    return;
                }
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                finish(!keepAlive);
            }

            private boolean due(int step, long elapsed) {
                return step < 0 || offsets[step] <= elapsed;
            }
        }

        void tokenize(ApiKind kind, JsonNode body) {
            ByteBuf buf = ctx.alloc().buffer(128);
            ByteBufOutputStream out = new ByteBufOutputStream(buf);
            if (kind == ApiKind.TOKENIZE) {
                JsonBodies.tokens(sc.model().tokenize(body.get("prompt").asText()), out);
            } else {
                JsonNode tokens = body.get("tokens");
                List<Integer> ids = new ArrayList<>(tokens.size());
                tokens.forEach(t -> ids.add(t.asInt()));
                JsonBodies.text(sc.model().detokenize(ids), out);
            }
            respond(HttpResponseStatus.OK, buf);
        }

        void stats() {
            byte[] json;
            try {
                json = MAPPER.writeValueAsBytes(sc.stats().snapshot());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            respond(HttpResponseStatus.OK, Unpooled.wrappedBuffer(json));
        }

        void violations(List<Violation> violations) {
            ByteBuf buf = ctx.alloc().buffer(256);
            JsonBodies.violations(violations, new ByteBufOutputStream(buf));
            respond(HttpResponseStatus.UNPROCESSABLE_ENTITY, buf);
        }

        void error(HttpResponseStatus status, String message, String type, String param, String code) {
            ByteBuf buf = ctx.alloc().buffer(256);
            JsonBodies.error(message, type, param, code, new ByteBufOutputStream(buf));
            respond(status, buf);
        }

        private void respond(HttpResponseStatus status, ByteBuf body) {
            if (finished || !ctx.channel().isActive()) {
                body.release();
                finish(false);
                return;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            decorate(response, status, APPLICATION_JSON);
            HttpUtil.setContentLength(response, body.readableBytes());
            boolean close = !keepAlive;
            ctx.writeAndFlush(response);
            finish(close);
        }

        private HttpResponse head(HttpResponseStatus status, AsciiString contentType) {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            decorate(response, status, contentType);
            return response;
        }

        private void decorate(HttpResponse response, HttpResponseStatus status, AsciiString contentType) {
            responseStarted = true;
            sc.stats().response(status.code());
            HttpHeaders h = response.headers();
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
            if (allow != null) {
                h.set(HttpHeaderNames.ALLOW, allow);
            }
            if (sc.limiter().isActive() && sc.rateLimitHeaders()) {
                RateLimitSnapshot s = snapshot != null ? snapshot : sc.limiter().snapshot();
                RateLimitHeaderWriter.write(s, h);
            }
            if (retryAfterSeconds > 0) {
                h.set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
            }
            if (!keepAlive) {
                h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }

        /** Aborts the connection with a TCP reset (SO_LINGER 0), as a crashed server or proxy would. */
        void reset() {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            finish(true);
        }

        private void schedule(Runnable task, long delayNanos) {
            timers.removeIf(ScheduledFuture::isDone);
            timers.add(ctx.executor().schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS));
        }

        private void cancelTimers() {
            for (ScheduledFuture<?> t : timers) {
                t.cancel(false);
            }
            timers.clear();
        }

        /** The client went away: stop timers, leave the queue or free the slot. */
        void abandon() {
            finished = true;
            cancelTimers();
            releaseSlot();
        }

        private void releaseSlot() {
            if (holdsSlot) {
                holdsSlot = false;
                sc.slots().release();
            } else if (ticket != null) {
                // A grant racing this cancel sees `finished` in its callback and releases the slot itself.
                ticket.cancel();
            }
        }

        private void finish(boolean close) {
            if (finished) {
                return;
            }
            finished = true;
            cancelTimers();
            releaseSlot();
            if (close) {
                ctx.flush();
                ctx.close();
            }
            next();
        }
    }

    static String hexId(SplittableRandom random) {
        String a = Long.toHexString(random.nextLong());
        String b = Long.toHexString(random.nextLong());
        return "0".repeat(16 - a.length()) + a + "0".repeat(16 - b.length()) + b;
    }
}
