package io.friendliflink.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.api.ApiKind;
import org.junit.jupiter.api.Test;

class ApiPathsTest {

    @Test
    void everyRouteIsFoundAgainByItsUrl() {
        for (ApiPaths.Route route : ApiPaths.routes()) {
            assertThat(ApiPaths.route(route.url())).isEqualTo(route);
            assertThat(ApiPaths.path(route.deployment(), route.kind())).isEqualTo(route.path());
        }
    }

    @Test
    void anOpenAiCompatibleUrlIsItsPathAfterOpenAisPrefix() {
        ApiPaths.Route chat = ApiPaths.route("/v1/chat/completions");

        assertThat(chat.deployment()).isEqualTo(Deployment.OPENAI_COMPATIBLE);
        assertThat(chat.kind()).isEqualTo(ApiKind.CHAT_COMPLETIONS);
        assertThat(chat.path()).isEqualTo("/chat/completions");
        assertThat(ApiPaths.route("/chat/completions")).isNull();
    }

    @Test
    void toolAssistedChatIsServerlessOnly() {
        assertThat(ApiPaths.path(Deployment.SERVERLESS, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS))
                .isEqualTo("/serverless/tools/v1/chat/completions");
        assertThat(ApiPaths.path(Deployment.DEDICATED, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS)).isNull();
        assertThat(ApiPaths.path(Deployment.OPENAI_COMPATIBLE, ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS)).isNull();
    }

    @Test
    void generationUrlsLeaveOutTokenize() {
        assertThat(ApiPaths.generationUrls())
                .contains("/v1/completions", "/dedicated/v1/chat/completions", "/serverless/tools/v1/chat/completions")
                .noneMatch(url -> url.endsWith("tokenize"));
    }
}
