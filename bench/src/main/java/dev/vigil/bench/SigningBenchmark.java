package dev.vigil.bench;

import dev.vigil.signing.Address;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Prints sign and recover throughput for each secp256k1 backend. A main, not a test: figures depend
 * on the machine. {@code vigil bench} calls {@link #run(int)}.
 */
public final class SigningBenchmark {
  public static final int DEFAULT_ITERATIONS = 5_000;

  private SigningBenchmark() {}

  public static void main(String[] args) {
    int iterations = DEFAULT_ITERATIONS;
    if (args.length > 0) {
      try {
        iterations = Integer.parseInt(args[0]);
      } catch (NumberFormatException e) {
        System.err.println("usage: SigningBenchmark [iterations], got '" + args[0] + "'");
        System.exit(2);
      }
    }
    System.out.print(run(iterations));
  }

  record Result(String backend, double signMicros, double recoverMicros) {}

  /**
   * Signs {@code iterations} distinct digests with one key and recovers the signer's address from
   * each signature, per backend, after a warm-up of the same size (at least 1,000 operations).
   */
  public static String run(int iterations) {
    return run(iterations, Math.max(iterations, 1_000));
  }

  static String run(int iterations, int warmup) {
    if (iterations < 1)
      throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
    PrivateKey key =
        PrivateKey.fromBytes(Keccak256.hash("vigil bench key".getBytes(StandardCharsets.US_ASCII)));
    Random rnd = new Random(42);
    byte[][] digests = new byte[iterations][32];
    for (byte[] d : digests) rnd.nextBytes(d);

    List<Secp256k1> backends = new ArrayList<>();
    backends.add(Secp256k1Backends.bouncyCastle());
    if (Secp256k1Backends.isNativeAvailable()) backends.add(Secp256k1Backends.nativeLibsecp256k1());

    List<Result> results = new ArrayList<>();
    for (Secp256k1 b : backends) results.add(measure(b, key, digests, warmup));

    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "secp256k1 backends: %,d operations each after %,d warm-up, one key, distinct digests%n",
            iterations,
            warmup));
    out.append(
        String.format(
            Locale.ROOT,
            "java %s, %d CPUs%n",
            Runtime.version(),
            Runtime.getRuntime().availableProcessors()));
    out.append(
        String.format(
            Locale.ROOT,
            "%-13s %12s %12s %15s %15s%n",
            "backend",
            "sign µs/op",
            "sign ops/s",
            "recover µs/op",
            "recover ops/s"));
    for (Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-13s %12.1f %12.0f %15.1f %15.0f%n",
              r.backend(),
              r.signMicros(),
              1e6 / r.signMicros(),
              r.recoverMicros(),
              1e6 / r.recoverMicros()));
    }
    if (results.size() == 2) {
      Result bc = results.get(0);
      Result nat = results.get(1);
      out.append(
          String.format(
              Locale.ROOT,
              "native vs bouncycastle: sign %.1fx, recover %.1fx faster%n",
              bc.signMicros() / nat.signMicros(),
              bc.recoverMicros() / nat.recoverMicros()));
      out.append("native signs with ")
          .append(Secp256k1Backends.nativeSigningPath().orElse("?"))
          .append('\n');
    } else {
      out.append("native: unavailable (")
          .append(Secp256k1Backends.nativeLoadFailure().orElse("?"))
          .append(")\n");
    }
    out.append(
        "(recover = public-key recovery + keccak256 to the address, as attestation checks do)\n");
    return out.toString();
  }

  private static Result measure(Secp256k1 backend, PrivateKey key, byte[][] digests, int warmup) {
    Address expected = backend.address(key);
    Signature[] sigs = new Signature[digests.length];
    for (int i = 0; i < warmup; i++) {
      byte[] d = digests[i % digests.length];
      if (!expected.equals(backend.recoverAddress(d, backend.sign(d, key)))) {
        throw new IllegalStateException(
            backend.name() + " signature does not recover to its signer");
      }
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < digests.length; i++) sigs[i] = backend.sign(digests[i], key);
    long t1 = System.nanoTime();
    int mismatches = 0;
    for (int i = 0; i < digests.length; i++) {
      if (!expected.equals(backend.recoverAddress(digests[i], sigs[i]))) mismatches++;
    }
    long t2 = System.nanoTime();
    // also keeps the JIT from discarding the work
    if (mismatches != 0)
      throw new IllegalStateException(
          backend.name() + ": " + mismatches + " signatures did not recover");
    return new Result(
        backend.name(), (t1 - t0) / 1e3 / digests.length, (t2 - t1) / 1e3 / digests.length);
  }
}
