package io.friendliflink.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.friendliflink.api.ApiKind;
import io.friendliflink.client.TransportException.Cause;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * https against a JDK HttpsServer on loopback with a self-signed certificate for {@code localhost}
 * (test resources, made with keytool, valid for 100 years).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsTest {
    private static final byte[] BODY = "{\"model\":\"m\",\"prompt\":\"hi\"}".getBytes(UTF_8);
    private static final String JSON = "{\"id\":\"1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,"
            + "\"text\":\"over tls\",\"finish_reason\":\"stop\"}]}";

    private HttpsServer server;
    private final List<String> sniNames = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = TlsTest.class.getResourceAsStream("/tls/localhost.p12")) {
            store.load(in, "testpass".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "testpass".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            ExtendedSSLSession session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
            for (SNIServerName name : session.getRequestedServerNames()) {
                sniNames.add(new String(name.getEncoded(), UTF_8));
            }
            exchange.getRequestBody().readAllBytes();
            byte[] out = JSON.getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private FriendliClient client(String host) throws URISyntaxException {
        Path pem = Path.of(TlsTest.class.getResource("/tls/localhost-cert.pem").toURI());
        return new FriendliClient(EndpointConfig.builder(
                        "https://" + host + ":" + server.getAddress().getPort(), Deployment.SERVERLESS)
                .token(ApiToken.none())
                .trustedCertificates(pem)
                .build());
    }

    @Test
    void httpsSendsSniAndVerifiesTheCertificate() throws Exception {
        try (FriendliClient client = client("localhost")) {
            HttpResult r = client.send(ApiKind.COMPLETIONS, BODY, false).get();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.result().choices().get(0).text()).isEqualTo("over tls");
        }
        assertThat(sniNames).containsExactly("localhost");
    }

    @Test
    void certificateForAnotherHostNameFailsToConnect() throws Exception {
        // The certificate names only "localhost": reaching the same server as 127.0.0.1 must not be trusted.
        try (FriendliClient client = client("127.0.0.1")) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.send(ApiKind.COMPLETIONS, BODY, false).get());

            assertThat(e.getCause()).isInstanceOf(TransportException.class);
            assertThat(((TransportException) e.getCause()).reason()).isEqualTo(Cause.CONNECT);
        }
    }
}
