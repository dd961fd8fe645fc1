package dev.vigil.bench;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.DecodeResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Encoding and decoding a 13-of-19 attestation of a typical body ({@link TypicalMessage}). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AttestationCodecJmh {
  private Attestation attestation;
  private byte[] encoded;

  @Setup
  public void setUp() {
    attestation = TypicalMessage.attestation();
    encoded = AttestationCodec.encode(attestation);
    if (!(AttestationCodec.decode(encoded) instanceof DecodeResult.Ok<Attestation> ok)
        || !ok.value().equals(attestation)) {
      throw new IllegalStateException("the attestation does not survive encode and decode");
    }
  }

  @Benchmark
  public byte[] encode() {
    return AttestationCodec.encode(attestation);
  }

  @Benchmark
  public DecodeResult<Attestation> decode() {
    return AttestationCodec.decode(encoded);
  }
}
