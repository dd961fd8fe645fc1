package dev.vigil.bench;

import dev.vigil.frost.Frost;
import dev.vigil.frost.FrostSignature;
import dev.vigil.frost.GroupOps;
import dev.vigil.frost.KeyGeneration;
import dev.vigil.frost.SignatureShare;
import dev.vigil.frost.SigningCommitment;
import dev.vigil.frost.SigningNonces;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the cost of FROST(secp256k1, SHA-256) threshold signing per operation: a signer's round
 * one (commit) and round two (sign), the coordinator's aggregate (which verifies the result) and a
 * verification of the final signature, for 3-of-4 and 5-of-7 keys, per point backend. A main, not a
 * test: figures depend on the machine. {@code vigil bench --frost} calls {@link #run(int)}.
 */
public final class FrostBenchmark {
  public static final int DEFAULT_SESSIONS = 200;

  private static final int[][] THRESHOLDS = {{3, 4}, {5, 7}};

  private FrostBenchmark() {}

  public static void main(String[] args) {
    int sessions = DEFAULT_SESSIONS;
    if (args.length > 0) {
      try {
        sessions = Integer.parseInt(args[0]);
      } catch (NumberFormatException e) {
        System.err.println("usage: FrostBenchmark [sessions], got '" + args[0] + "'");
        System.exit(2);
      }
    }
    System.out.print(run(sessions));
  }

  record Result(
      String backend,
      int t,
      int n,
      double commitMicros,
      double signMicros,
      double aggregateMicros,
      double verifyMicros) {}

  /**
   * {@code sessions} signing sessions per key and backend, after as many to warm up (at least 50).
   */
  public static String run(int sessions) {
    return run(sessions, Math.max(sessions, 50));
  }

  static String run(int sessions, int warmup) {
    if (sessions < 1) {
      throw new IllegalArgumentException("sessions must be at least 1, got " + sessions);
    }
    List<GroupOps> backends = new ArrayList<>();
    backends.add(GroupOps.bouncyCastle());
    String nativeStatus;
    try {
      backends.add(GroupOps.nativeLibsecp256k1());
      nativeStatus = null;
    } catch (IllegalStateException e) {
      nativeStatus = e.getMessage();
    }
    SecureRandom random = new SecureRandom();
    List<Result> results = new ArrayList<>();
    for (int[] tn : THRESHOLDS) {
      KeyGeneration.Dealt dealt = KeyGeneration.trustedDealer(tn[0], tn[1], random);
      for (GroupOps ops : backends) {
        measure(Frost.using(ops), dealt, tn[0], warmup, random);
        results.add(measure(Frost.using(ops), dealt, tn[0], sessions, random));
      }
    }

    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "FROST(secp256k1, SHA-256): %,d signing sessions per key and backend after %,d warm-up,"
                + " signers 1..t, a 32-byte message%n",
            sessions,
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
            "%-13s %6s %12s %12s %15s %12s%n",
            "backend",
            "t-of-n",
            "commit µs",
            "sign µs",
            "aggregate µs",
            "verify µs"));
    for (Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-13s %6s %12.1f %12.1f %15.1f %12.1f%n",
              r.backend(),
              r.t() + "-of-" + r.n(),
              r.commitMicros(),
              r.signMicros(),
              r.aggregateMicros(),
              r.verifyMicros()));
    }
    if (nativeStatus != null)
      out.append("native: unavailable (").append(nativeStatus).append(")\n");
    out.append(
        "(commit and sign: one signer's round one and round two; aggregate: the coordinator's,"
            + " including its check of the result)\n");
    return out.toString();
  }

  private static Result measure(
      Frost frost, KeyGeneration.Dealt dealt, int t, int sessions, SecureRandom random) {
    byte[] groupKey = dealt.publicKeys().groupKey();
    long commitNanos = 0;
    long signNanos = 0;
    long aggregateNanos = 0;
    long verifyNanos = 0;
    byte[] message = new byte[32];
    for (int s = 0; s < sessions; s++) {
      random.nextBytes(message);
      List<SigningNonces> nonces = new ArrayList<>();
      List<SigningCommitment> commitments = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int id = 1; id <= t; id++) {
        SigningNonces n = frost.commit(dealt.keyPackage(id), random);
        nonces.add(n);
        commitments.add(n.commitment());
      }
      long t1 = System.nanoTime();
      List<SignatureShare> shares = new ArrayList<>();
      for (int id = 1; id <= t; id++) {
        shares.add(frost.sign(dealt.keyPackage(id), nonces.get(id - 1), message, commitments));
      }
      long t2 = System.nanoTime();
      FrostSignature sig = frost.aggregate(commitments, message, shares, dealt.publicKeys());
      long t3 = System.nanoTime();
      boolean ok = frost.verify(sig, message, groupKey);
      long t4 = System.nanoTime();
      // also keeps the JIT from discarding the work
      if (!ok)
        throw new IllegalStateException(frost.groupOps().name() + ": signature did not verify");
      commitNanos += t1 - t0;
      signNanos += t2 - t1;
      aggregateNanos += t3 - t2;
      verifyNanos += t4 - t3;
    }
    int n = dealt.keyPackages().size();
    return new Result(
        frost.groupOps().name(),
        t,
        n,
        commitNanos / 1e3 / ((double) sessions * t),
        signNanos / 1e3 / ((double) sessions * t),
        aggregateNanos / 1e3 / sessions,
        verifyNanos / 1e3 / sessions);
  }
}
