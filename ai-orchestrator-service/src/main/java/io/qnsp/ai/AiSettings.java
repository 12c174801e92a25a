package io.qnsp.ai;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the AI orchestrator.
 *
 * @param currency               the currency recorded usage costs are reported in
 * @param biasIncidentThreshold  a completed bias evaluation whose metric exceeds this is an active incident
 * @param evaluationConcurrency  bias evaluations computed at once on one instance
 * @param batchDiscount          the share of a request's cost a provider's batch interface saves (0.5: half price)
 * @param batchMinRequests       requests a model needs in a period before batching is recommended for it
 * @param smallRequestTokens     a request with fewer tokens than this (input and output) counts as small
 * @param matchStepsPerChar      character reads one pattern may make per input character when matching a prompt
 * @param matchTimeout           how long one pattern may take over one prompt
 */
@ConfigurationProperties("qnsp.ai")
public record AiSettings(@DefaultValue("USD") String currency,
                         @DefaultValue("0.1") double biasIncidentThreshold,
                         @DefaultValue("2") int evaluationConcurrency,
                         @DefaultValue("0.5") double batchDiscount,
                         @DefaultValue("20") int batchMinRequests,
                         @DefaultValue("1000") long smallRequestTokens,
                         @DefaultValue("200") int matchStepsPerChar,
                         @DefaultValue("100ms") Duration matchTimeout) {
}
