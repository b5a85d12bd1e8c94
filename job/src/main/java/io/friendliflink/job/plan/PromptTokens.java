package io.friendliflink.job.plan;

import io.friendliflink.client.PreparedRequest;

/** How a plan counts a request's prompt tokens: estimated from its text, or by the endpoint's tokenizer. */
interface PromptTokens {
    /** The same estimate as the budgets' and the spending cap's: no call. */
    PromptTokens ESTIMATED = new PromptTokens() {
        @Override
        public long count(PreparedRequest request) {
            return request.promptTokenEstimate();
        }

        @Override
        public String method() {
            return "estimated";
        }
    };

    long count(PreparedRequest request) throws Exception;

    /** {@code estimated} or {@code tokenized}, as {@code _PLAN.json} says. */
    String method();
}
