/**
 * Protection of secrets at rest: {@link io.qnsp.common.crypto.SecretBox} encrypts what must be read back,
 * {@link io.qnsp.common.crypto.KeyedHash} finds what must only be recognised.
 */
package io.qnsp.common.crypto;
