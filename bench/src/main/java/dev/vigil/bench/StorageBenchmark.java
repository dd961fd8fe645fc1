package dev.vigil.bench;

import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import dev.vigil.storage.GuardedSigner;
import dev.vigil.storage.VigilDatabase;
import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvCodecs;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Write and read rates of the storage layer on this machine's disk: synced against unsynced single
 * writes, batched writes, and the stores the node uses (signing records, ~500-byte attestations).
 * Synced figures depend entirely on the disk's fsync latency, so the report names the filesystem.
 * {@code vigil bench} calls {@link #run}.
 */
public final class StorageBenchmark {
  public static final Duration DEFAULT_TIME_PER_CASE = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_OPS_PER_CASE = 50_000;
  static final int ATTESTATION_BYTES = 500;
  static final int BATCH = 100;

  private StorageBenchmark() {}

  /** Usage: StorageBenchmark [--dir DIR] [--seconds-per-case N] [--max-ops N]. */
  public static void main(String[] args) {
    Path dir = Path.of(".");
    Duration perCase = DEFAULT_TIME_PER_CASE;
    int maxOps = DEFAULT_MAX_OPS_PER_CASE;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length)
        throw new IllegalArgumentException("option " + a + " needs a value");
      switch (a) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--seconds-per-case" ->
            perCase = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
        case "--max-ops" -> maxOps = Integer.parseInt(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown option " + a + "; expected --dir, --seconds-per-case or --max-ops");
      }
    }
    System.out.print(run(dir, perCase, maxOps));
  }

  /**
   * Runs every case in a fresh directory under {@code baseDir} (deleted afterwards), each for at
   * most {@code timePerCase} or {@code maxOpsPerCase} operations, and returns the report.
   */
  public static String run(Path baseDir, Duration timePerCase, int maxOpsPerCase) {
    Path work;
    try {
      Files.createDirectories(baseDir);
      work = Files.createTempDirectory(baseDir.toAbsolutePath(), "vigil-storage-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a benchmark dir under " + baseDir, e);
    }
    try {
      return new Runner(work, timePerCase, maxOpsPerCase).runAll();
    } finally {
      deleteRecursively(work);
    }
  }

  record Result(String name, long ops, long nanos) {
    double opsPerSecond() {
      return ops * 1e9 / nanos;
    }

    double microsPerOp() {
      return nanos / 1e3 / ops;
    }
  }

  /** One operation of a case; {@code i} counts from 0 across all threads of the case. */
  @FunctionalInterface
  interface Op {
    void run(long i) throws Exception;
  }

  private static final class Runner {
    private final Path work;
    private final Duration timePerCase;
    private final int maxOps;
    private final List<Result> results = new ArrayList<>();
    private final byte[] attestation = new byte[ATTESTATION_BYTES];
    private final byte[] emitter = new byte[32];

    Runner(Path work, Duration timePerCase, int maxOps) {
      this.work = work;
      this.timePerCase = timePerCase;
      this.maxOps = maxOps;
      new SplittableRandom(1).nextBytes(attestation);
      emitter[31] = 1;
    }

    MessageId key(long i) {
      return new MessageId(2, Bytes32.wrap(emitter), i);
    }

    static Digest digest(long i) {
      return Digest.wrap(ByteBuffer.allocate(32).putLong(24, i).array());
    }

    String runAll() {
      StringBuilder header = new StringBuilder();
      header.append("Vigil storage benchmark\n");
      header
          .append("  dir:        ")
          .append(work)
          .append(" (")
          .append(fileSystem(work))
          .append(")\n");
      header
          .append("  java:       ")
          .append(Runtime.version())
          .append(", ")
          .append(Runtime.getRuntime().availableProcessors())
          .append(" cpus\n");
      header
          .append("  per case:   up to ")
          .append(timePerCase.toMillis())
          .append(" ms or ")
          .append(maxOps)
          .append(" ops\n");
      header
          .append("  values:     signing record 42 B key -> 32 B digest; attestation 42 B key -> ")
          .append(32 + ATTESTATION_BYTES)
          .append(" B (digest + ")
          .append(ATTESTATION_BYTES)
          .append(" B) plus a 32 B -> 42 B digest index\n\n");

      engineCases();
      storeCases();

      StringBuilder out = new StringBuilder(header);
      out.append(
          String.format(Locale.ROOT, "%-62s %8s %11s %10s%n", "case", "ops", "ops/s", "us/op"));
      for (Result r : results) {
        out.append(
            String.format(
                Locale.ROOT,
                "%-62s %8d %11.0f %10.1f%n",
                r.name(),
                r.ops(),
                r.opsPerSecond(),
                r.microsPerOp()));
      }
      return out.toString();
    }

    /** The raw KV layer with the node's key and value shapes. */
    private void engineCases() {
      try (KvStore kv =
          KvStore.open(work.resolve("kv"), 1, List.of("records", "attestations", "by_digest"))) {
        KvColumn<byte[], byte[]> records = kv.column("records", KvCodecs.bytes(), KvCodecs.bytes());
        KvColumn<byte[], byte[]> atts =
            kv.column("attestations", KvCodecs.bytes(), KvCodecs.bytes());
        KvColumn<byte[], byte[]> byDigest =
            kv.column("by_digest", KvCodecs.bytes(), KvCodecs.bytes());
        byte[] value = new byte[32 + ATTESTATION_BYTES];
        System.arraycopy(attestation, 0, value, 32, ATTESTATION_BYTES);
        long[] next = {0};

        measure(
            "kv put signing record, unsynced",
            1,
            i -> records.put(key(next[0]++).encode(), digest(i).toBytes(), Durability.UNSYNCED));
        measure(
            "kv put signing record, synced",
            1,
            i -> records.put(key(next[0]++).encode(), digest(i).toBytes(), Durability.SYNCED));
        long firstAttestation = next[0];
        measure(
            "kv put attestation + index (1 batch), unsynced",
            1,
            i -> putAttestation(kv, atts, byDigest, next[0]++, value, Durability.UNSYNCED));
        measure(
            "kv put attestation + index (1 batch), synced",
            1,
            i -> putAttestation(kv, atts, byDigest, next[0]++, value, Durability.SYNCED));
        measureBatched(
            "kv batches of " + BATCH + " attestations + index, unsynced",
            kv,
            atts,
            byDigest,
            next,
            value,
            Durability.UNSYNCED);
        measureBatched(
            "kv batches of " + BATCH + " attestations + index, synced",
            kv,
            atts,
            byDigest,
            next,
            value,
            Durability.SYNCED);
        long end = next[0];
        SplittableRandom random = new SplittableRandom(2);
        measure(
            "kv get attestation by key (random of " + (end - firstAttestation) + ")",
            1,
            i -> {
              if (atts.get(key(random.nextLong(firstAttestation, end)).encode()).isEmpty())
                throw new IllegalStateException("missing key");
            });
      }
    }

    private void putAttestation(
        KvStore kv,
        KvColumn<byte[], byte[]> atts,
        KvColumn<byte[], byte[]> byDigest,
        long n,
        byte[] value,
        Durability d) {
      byte[] k = key(n).encode();
      byte[] dg = digest(n).toBytes();
      kv.write(d, b -> b.put(atts, k, value).put(byDigest, dg, k));
    }

    private void measureBatched(
        String name,
        KvStore kv,
        KvColumn<byte[], byte[]> atts,
        KvColumn<byte[], byte[]> byDigest,
        long[] next,
        byte[] value,
        Durability d) {
      // Counted per attestation, so the rate compares with the single-write cases.
      long deadline = System.nanoTime() + timePerCase.toNanos();
      long ops = 0;
      long start = System.nanoTime();
      while (ops < maxOps && System.nanoTime() < deadline) {
        kv.write(
            d,
            b -> {
              for (int j = 0; j < BATCH; j++) {
                long n = next[0]++;
                byte[] k = key(n).encode();
                b.put(atts, k, value).put(byDigest, digest(n).toBytes(), k);
              }
            });
        ops += BATCH;
      }
      results.add(new Result(name, ops, System.nanoTime() - start));
    }

    /** The stores as the node uses them. */
    private void storeCases() {
      try (VigilDatabase db = VigilDatabase.open(work.resolve("vigil"))) {
        AtomicLong next = new AtomicLong();
        measure(
            "SigningRecordStore.checkAndRecord (new key, synced), 1 thread",
            1,
            i -> db.signingRecords().checkAndRecord(key(next.getAndIncrement()), digest(i)));
        measure(
            "SigningRecordStore.checkAndRecord (new key, synced), 4 threads",
            4,
            i -> db.signingRecords().checkAndRecord(key(next.getAndIncrement()), digest(i)));
        long recorded = next.get();
        measure(
            "SigningRecordStore.checkAndRecord (same digest, no write)",
            1,
            i -> db.signingRecords().checkAndRecord(key(i % recorded), digest(0)));
        measure(
            "AttestationStore.put (" + ATTESTATION_BYTES + " B, unsynced)",
            1,
            i -> db.attestations().put(key(i), digest(i), attestation));
        Signer signer =
            new LocalKeySigner(
                PrivateKey.fromBytes(
                    Keccak256.hash("vigil benchmark key".getBytes(StandardCharsets.UTF_8))),
                Secp256k1Backends.preferred());
        GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
        measure(
            "GuardedSigner.sign (new key: synced record + "
                + Secp256k1Backends.preferred().name()
                + " sign)",
            1,
            i -> guard.sign(key(next.getAndIncrement()), digest(i)));
      }
    }

    private void measure(String name, int threads, Op op) {
      long deadline = System.nanoTime() + timePerCase.toNanos();
      AtomicLong counter = new AtomicLong();
      AtomicLong done = new AtomicLong();
      List<Throwable> failures = new ArrayList<>();
      Runnable worker =
          () -> {
            try {
              for (long i;
                  (i = counter.getAndIncrement()) < maxOps && System.nanoTime() < deadline; ) {
                op.run(i);
                done.incrementAndGet();
              }
            } catch (Exception e) {
              synchronized (failures) {
                failures.add(e);
              }
            }
          };
      long start = System.nanoTime();
      if (threads == 1) {
        worker.run();
      } else {
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++)
          ts.add(Thread.ofPlatform().name("bench-" + t).start(worker));
        for (Thread t : ts) {
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
      }
      long nanos = System.nanoTime() - start;
      if (!failures.isEmpty())
        throw new IllegalStateException(
            "benchmark case '" + name + "' failed: " + failures.getFirst(), failures.getFirst());
      results.add(new Result(name, done.get(), nanos));
    }
  }

  private static String fileSystem(Path dir) {
    try {
      return Files.getFileStore(dir).type();
    } catch (IOException e) {
      return "unknown filesystem";
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      System.err.println("could not delete benchmark dir " + dir + ": " + e);
    }
  }
}
