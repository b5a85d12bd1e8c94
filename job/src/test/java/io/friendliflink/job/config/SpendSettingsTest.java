package io.friendliflink.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.friendliflink.policy.Pricing;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpendSettingsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String SAMPLE = Path.of("..").toAbsolutePath().normalize()
            .resolve("sample-data/requests.jsonl").toString();

    private static JobConfig read(String yaml) throws IOException {
        return JobConfig.from(YAML.readTree("input: {path: " + SAMPLE + "}\noutput: {path: out}\n" + yaml));
    }

    @Test
    void pricesByModelOverrideTheDefaultAndKeepWhatTheyDoNotName() throws IOException {
        JobConfig config = read("calls: {max-total-tokens: 5000, max-cost: 2.5}\n"
                + "pricing: {input-per-million: 0.1, output-per-million: 0.4, models: {big: {output-per-million: 3}}}\n");

        Pricing pricing = config.calls().spend().pricing();
        assertThat(pricing.of("small")).isEqualTo(new Pricing.Price(0.1, 0.4));
        assertThat(pricing.of("big")).isEqualTo(new Pricing.Price(0.1, 3.0));
        assertThat(config.calls().spend().maxTotalTokens()).isEqualTo(5000);
        assertThat(config.calls().spend().maxCost()).isEqualTo(2.5);
    }

    @Test
    void aCostCapWithoutPricesAndAMalformedModelPriceAreReportedByKey() {
        assertThatThrownBy(() -> read("calls: {max-cost: 1}\npricing: {models: {big: {input: 3}}}\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "pricing.models: big must be a mapping of input-per-million and/or output-per-million to"
                                + " prices >= 0, was {\"input\":3}",
                        "calls.max-cost: needs prices to count with: set pricing.input-per-million and"
                                + " pricing.output-per-million (or pricing.models)"));
    }

    @Test
    void withoutKeysThereIsNoCapAndNoPrice() throws IOException {
        JobConfig config = read("");
        assertThat(config.calls().spend().capped()).isFalse();
        assertThat(config.calls().spend().pricing().isSet()).isFalse();
    }
}
