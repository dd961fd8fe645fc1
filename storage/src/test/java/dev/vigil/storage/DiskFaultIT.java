package dev.vigil.storage;

import static dev.vigil.storage.TestData.digest;
import static dev.vigil.storage.TestData.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signer;
import dev.vigil.storage.GuardedSignerTest.CountingSigner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database on a real, small ext4 file system that fills up or turns read-only under it (see
 * {@link LoopDisk}): writes fail with an exception that names the data dir and the OS cause, the
 * double-sign guard signs nothing it could not record, reads go on, and the database takes writes
 * again by itself once the disk does, with everything written before intact. Skipped, with the
 * reason, where the machine cannot mount (not root, no loop devices).
 */
class DiskFaultIT {
  private static final Signer KEY = TestData.signer("disk fault test key");
  private static final int BEFORE = 20;
  private static final long RECOVERY_BOUND_MS = 60_000;

  @TempDir Path tmp;
  private LoopDisk disk;

  @BeforeEach
  void mount() throws Exception {
    String why = LoopDisk.unavailable();
    assumeTrue(why == null, "disk-fault test skipped: " + why);
    disk = LoopDisk.create(tmp, 64);
  }

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) disk.close();
  }

  private static MessageId k(int i) {
    return key(2, 7, i);
  }

  private static Digest d(int i) {
    return digest("message " + i);
  }

  /**
   * Signs and stores an attestation for messages [from, to), then syncs as the node does after a
   * round of attestation writes; returns what was signed.
   */
  private static Map<MessageId, Digest> signAndStore(
      VigilDatabase db, GuardedSigner guard, int from, int to) throws Exception {
    Map<MessageId, Digest> out = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      guard.sign(k(i), d(i));
      db.attestations().put(k(i), d(i), TestData.bytes("attestation " + i, 200));
      out.put(k(i), d(i));
    }
    db.sync();
    return out;
  }

  /** Every signing record, and an attestation for each message below {@code attestedBelow}. */
  private static void assertIntact(
      VigilDatabase db, Map<MessageId, Digest> signed, int attestedBelow) {
    signed.forEach(
        (key, digest) -> {
          assertThat(db.signingRecords().get(key)).as("signing record of %s", key).contains(digest);
          if (key.sequence() < attestedBelow)
            assertThat(db.attestations().get(key)).as("attestation of %s", key).isPresent();
        });
  }

  @Test
  void aFullDiskFailsWritesWithTheCauseSignsNothingAndTheDatabaseResumesByItselfOnceSpaceIsFreed()
      throws Exception {
    Path data = disk.mountPoint.resolve("data");
    CountingSigner signer = new CountingSigner(KEY);
    Map<MessageId, Digest> signed;
    try (VigilDatabase db = VigilDatabase.open(data)) {
      GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
      signed = signAndStore(db, guard, 0, BEFORE);

      assertThat(disk.fill()).isPositive();
      // The last partly filled block may still take a few records; the first that needs a new block
      // fails.
      StorageException failure = null;
      int i = BEFORE;
      for (; i < BEFORE + 5_000 && failure == null; i++) {
        int calls = signer.calls.get();
        try {
          guard.sign(k(i), d(i));
          signed.put(k(i), d(i));
        } catch (StorageException e) {
          failure = e;
          assertThat(signer.calls.get())
              .as("signer calls when the record write failed")
              .isEqualTo(calls);
        }
      }
      assertThat(failure).as("a write on the full disk").isNotNull();
      assertThat(failure.getMessage())
          .contains("No space left on device")
          .contains(data.toString());

      int calls = signer.calls.get();
      int next = i;
      assertThatThrownBy(() -> guard.sign(k(next), d(next)))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("No space left on device");
      assertThatThrownBy(() -> db.attestations().put(k(next), d(next), new byte[100]))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("No space left on device");
      assertThat(signer.calls.get()).as("nothing signed while the disk is full").isEqualTo(calls);
      WriteHealth h = db.writeHealth();
      assertThat(h.writable()).isFalse();
      assertThat(h.cause()).contains("No space left on device");
      assertIntact(db, signed, BEFORE); // reads go on

      disk.unfill();
      long t0 = System.nanoTime();
      awaitSign(guard, next);
      System.out.printf(
          "full disk: writes resumed %d ms after the ballast was deleted%n",
          (System.nanoTime() - t0) / 1_000_000);
      signed.put(k(next), d(next));
      signed.putAll(signAndStore(db, guard, next + 1, next + 10));
      assertThat(db.writeHealth().writable()).isTrue();
      assertThat(db.writeHealth().recoveries()).isEqualTo(1);
      assertIntact(db, signed, BEFORE);
      for (int j = next + 1; j < next + 10; j++)
        assertThat(db.attestations().contains(k(j))).isTrue();
    }
    try (VigilDatabase db = VigilDatabase.open(data)) {
      assertIntact(db, signed, BEFORE);
      assertThat(db.signingRecords().count()).isEqualTo(signed.size());
    }
  }

  @Test
  void
      aDiskTurnedReadOnlyFailsWritesWithTheCauseSignsNothingAndAfterRepairEverythingWrittenBeforeIsThere()
          throws Exception {
    Path data = disk.mountPoint.resolve("data");
    CountingSigner signer = new CountingSigner(KEY);
    Map<MessageId, Digest> signed;
    try (VigilDatabase db = VigilDatabase.open(data)) {
      GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
      signed = signAndStore(db, guard, 0, BEFORE);

      disk.breakReadOnly();
      int calls = signer.calls.get();
      assertThatThrownBy(() -> guard.sign(k(BEFORE), d(BEFORE)))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("Read-only file system")
          .hasMessageContaining(data.toString());
      assertThatThrownBy(() -> db.attestations().put(k(BEFORE), d(BEFORE), new byte[100]))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("Read-only file system");
      assertThat(signer.calls.get()).as("nothing signed on a read-only disk").isEqualTo(calls);
      assertThat(db.writeHealth().cause()).contains("Read-only file system");
      assertIntact(db, signed, BEFORE);

      // Retrying does not pretend: the probe write still fails, the engine is left as it is.
      Thread.sleep(500);
      assertThat(db.recoverIfFailing()).isFalse();
      assertThat(db.writeHealth().cause()).contains("Read-only file system");
      assertThatThrownBy(() -> guard.sign(k(BEFORE), d(BEFORE)))
          .isInstanceOf(StorageException.class);
      assertThat(signer.calls.get()).isEqualTo(calls);
      assertThat(db.signingRecords().get(k(BEFORE))).isEmpty();
    }
    // A restart on the still read-only disk refuses with the cause instead of running without
    // storage.
    assertThatThrownBy(() -> VigilDatabase.open(data))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(data.toString())
        .hasMessageContaining("Read-only file system");
    // An ext4 error is only cleared by unmount, fsck and mount: the node stops, the operator
    // repairs.
    disk.repairReadOnly();
    try (VigilDatabase db = VigilDatabase.open(data)) {
      assertIntact(db, signed, BEFORE);
      assertThat(db.signingRecords().get(k(BEFORE))).as("the record whose write failed").isEmpty();
      GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
      signed.putAll(signAndStore(db, guard, BEFORE, BEFORE + 10));
      assertIntact(db, signed, BEFORE + 10);
    }
  }

  private static void awaitSign(GuardedSigner guard, int i) throws Exception {
    long deadline = System.nanoTime() + RECOVERY_BOUND_MS * 1_000_000;
    while (true) {
      try {
        guard.sign(k(i), d(i));
        return;
      } catch (StorageException e) {
        if (System.nanoTime() > deadline)
          throw new AssertionError(
              "no write accepted within " + RECOVERY_BOUND_MS + " ms of healing", e);
        Thread.sleep(50);
      }
    }
  }
}
