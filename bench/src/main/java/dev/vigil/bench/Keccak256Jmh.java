package dev.vigil.bench;

import dev.vigil.signing.Keccak256;
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

/** Keccak-256 over a typical encoded body (184 bytes: 51 of fields, a 133-byte payload). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class Keccak256Jmh {
  private byte[] body;

  @Setup
  public void setUp() {
    body = TypicalMessage.body().encode();
  }

  @Benchmark
  public byte[] hashBody() {
    return Keccak256.hash(body);
  }
}
