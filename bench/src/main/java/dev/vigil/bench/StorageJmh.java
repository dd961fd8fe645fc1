package dev.vigil.bench;

import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.SigningRecordStore;
import dev.vigil.storage.StoredAttestation;
import dev.vigil.storage.VigilDatabase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The node's stores on this machine's disk: a signing record for a new message (the synced write
 * that comes before every signature) and a read of a stored ~500-byte attestation. The database is
 * created under {@link #dir} and deleted afterwards; synced figures are that disk's fsync latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class StorageJmh {
  static final int STORED_ATTESTATIONS = 10_000;

  /** Where the database goes: the disk measured. */
  @Param(".")
  public String dir;

  private Path work;
  private VigilDatabase db;
  private SigningRecordStore records;
  private final byte[] emitter = new byte[32];
  private long nextRecord;
  private final SplittableRandom random = new SplittableRandom(3);

  @Setup
  public void setUp() throws IOException {
    Path base = Path.of(dir).toAbsolutePath();
    Files.createDirectories(base);
    work = Files.createTempDirectory(base, "vigil-jmh-storage-");
    db = VigilDatabase.open(work);
    records = db.signingRecords();
    emitter[31] = 1;
    byte[] attestation = new byte[StorageBenchmark.ATTESTATION_BYTES];
    new SplittableRandom(1).nextBytes(attestation);
    for (long i = 0; i < STORED_ATTESTATIONS; i++)
      db.attestations().put(key(i), digest(i), attestation);
  }

  @TearDown
  public void tearDown() throws IOException {
    db.close();
    try (Stream<Path> paths = Files.walk(work)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private MessageId key(long sequence) {
    return new MessageId(2, Bytes32.wrap(emitter), sequence);
  }

  private static Digest digest(long i) {
    return Digest.wrap(ByteBuffer.allocate(32).putLong(24, i).array());
  }

  @Benchmark
  public SigningRecordStore.Check signingRecordSynced() {
    long n = nextRecord++;
    return records.checkAndRecord(key(n), digest(n));
  }

  @Benchmark
  public Optional<StoredAttestation> attestationGet() {
    return db.attestations().get(key(random.nextLong(STORED_ATTESTATIONS)));
  }
}
