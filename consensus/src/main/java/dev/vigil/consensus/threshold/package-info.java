/**
 * Threshold (FROST) signing under durable nonce bookkeeping: {@link
 * dev.vigil.consensus.threshold.NonceGuardedSigner} joins the {@code frost} module's rounds to the
 * {@code storage} module's {@link dev.vigil.storage.NonceStore}. It lives in consensus because that
 * is the lowest module allowed to depend on both: {@code frost} is cryptography only (no RocksDB,
 * no other Vigil module but signing), and {@code storage} knows nothing of FROST.
 */
package dev.vigil.consensus.threshold;
