package io.friendliflink.client;

import io.friendliflink.api.ApiKind;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Builds the HTTP request of an {@link Exchange}.
 *
 * <p>Everything that does not change per request (paths, {@code Host}, the bearer header) is encoded once
 * as an {@link AsciiString}, and headers are not re-validated: they were validated when the config was
 * built. The body is wrapped, not copied.
 */
final class RequestFactory {
    private static final AsciiString X_FRIENDLI_TEAM = AsciiString.cached("x-friendli-team");
    private static final HttpHeadersFactory HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false).withCombiningHeaders(false);

    private final AsciiString[] paths = new AsciiString[ApiKind.values().length];
    private final AsciiString host;
    private final AsciiString userAgent;
    private final AsciiString bearer;
    private final AsciiString team;

    RequestFactory(EndpointConfig config) {
        for (ApiKind kind : ApiKind.values()) {
            try {
                paths[kind.ordinal()] = new AsciiString(config.pathFor(kind));
            } catch (UnsupportedOperationException noEndpoint) {
                paths[kind.ordinal()] = null;
            }
        }
        this.host = new AsciiString(config.hostHeader());
        this.userAgent = new AsciiString(config.userAgent());
        this.bearer = config.token().isPresent() ? new AsciiString("Bearer " + config.token().value()) : null;
        this.team = config.teamId().map(AsciiString::new).orElse(null);
    }

    boolean supports(ApiKind kind) {
        return paths[kind.ordinal()] != null;
    }

    String path(ApiKind kind) {
        return paths[kind.ordinal()].toString();
    }

    /** The path an exchange is sent to: its own, or the endpoint's for its kind (which may then not exist). */
    String path(Exchange exchange) {
        if (exchange.path != null) {
            return exchange.path;
        }
        AsciiString configured = paths[exchange.kind.ordinal()];
        return configured == null ? "?" : configured.toString();
    }

    FullHttpRequest create(Exchange exchange) {
        HttpHeaders h = HEADERS.newHeaders();
        h.add(HttpHeaderNames.HOST, host);
        h.add(HttpHeaderNames.USER_AGENT, userAgent);
        h.add(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        h.add(HttpHeaderNames.ACCEPT,
                exchange.stream ? HttpHeaderValues.TEXT_EVENT_STREAM : HttpHeaderValues.APPLICATION_JSON);
        h.add(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP);
        if (bearer != null) {
            h.add(HttpHeaderNames.AUTHORIZATION, bearer);
        }
        if (team != null) {
            h.add(X_FRIENDLI_TEAM, team);
        }
        h.addInt(HttpHeaderNames.CONTENT_LENGTH, exchange.body.length);
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                path(exchange), Unpooled.wrappedBuffer(exchange.body), h,
                EmptyHttpHeaders.INSTANCE);
    }

    @Override
    public String toString() {
        return "RequestFactory{host=" + host + "}"; // never the bearer header
    }
}
