/**
 * Envelope encryption with data keys from kms-service, for any service that sets {@code qnsp.kms-client.url}:
 * {@link io.qnsp.common.kms.Envelopes} seals small values and hands out data keys for content the service encrypts
 * itself; a kms-service that cannot answer is {@link io.qnsp.common.kms.DependencyDown}.
 */
package io.qnsp.common.kms;
