package dev.vigil.bench;

import dev.vigil.signing.Address;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signing a body digest and recovering the signer's address (public-key recovery plus keccak256, as
 * an attestation check does), per backend. {@link JmhBenchmarks} leaves out {@code native} where
 * the library does not load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class Secp256k1Jmh {
  @Param({Secp256k1Backends.NATIVE, Secp256k1Backends.BOUNCY_CASTLE_NAME})
  public String backend;

  private Secp256k1 secp;
  private PrivateKey key;
  private byte[] digest;
  private Signature signature;

  @Setup
  public void setUp() {
    secp = Secp256k1Backends.byName(backend);
    key = TypicalMessage.key(0);
    digest = TypicalMessage.body().digest().toBytes();
    signature = secp.sign(digest, key);
    if (!secp.address(key).equals(secp.recoverAddress(digest, signature))) {
      throw new IllegalStateException(backend + ": the signature does not recover to its signer");
    }
  }

  @Benchmark
  public Signature sign() {
    return secp.sign(digest, key);
  }

  @Benchmark
  public Address recover() {
    return secp.recoverAddress(digest, signature);
  }
}
