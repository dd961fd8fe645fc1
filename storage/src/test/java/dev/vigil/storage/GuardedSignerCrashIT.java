package dev.vigil.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Address;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a signing process with SIGKILL at random points, many times, on one data dir, and checks
 * after every kill that the double-sign guard held: every signature the child printed is backed by
 * a signing record for the same digest, and no message key ever got signatures over two digests.
 *
 * <p>What SIGKILL can and cannot show: it catches a record saved after the signature (or saved in a
 * way that does not survive the process, like a write-behind buffer) — the second test proves the
 * check catches exactly that. It cannot tell a synced write from an unsynced one, because an
 * unsynced RocksDB write is already in the kernel's page cache when the call returns; that the
 * record write is fsynced is checked by {@code VigilDatabaseTest.aNewSigningRecordIsASyncedWrite}
 * and {@code GuardedSignerTest.theRecordIsSyncedToDiskBeforeTheSignerIsCalled} (RocksDB's own
 * WAL-sync counter).
 */
class GuardedSignerCrashIT {
  private static final int MAX_ROUNDS = 25;
  private static final long TIME_BUDGET_MS = 50_000;
  // Rounds are bounded by time too: a child JVM takes 1-2 s to start on a loaded 2-core machine.
  private static final int MIN_ROUNDS = 5;
  private static final String EOF = "\u0000EOF";
  private static final Address SIGNER = TestData.signer(CrashSigningChild.SIGNER_LABEL).address();

  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  /** One parsed protocol line. */
  record Line(boolean signed, MessageId key, Digest digest, Signature signature) {}

  /** What one child run printed before it was killed. */
  record Round(List<Line> lines, int partialLines, boolean killedWhileRunning) {}

  @Test
  void guardedSignerNeverSignsTwoDigestsForOneMessageAcrossRandomKills() throws Exception {
    killRepeatedly("guarded", 20240611L);
  }

  /**
   * The same with batches (group commit: one synced write for all records of a batch, then the
   * signatures): no signature is printed before its batch's records are durable, and a conflict
   * refuses only its own item.
   */
  @Test
  void batchedGuardNeverSignsTwoDigestsForOneMessageAcrossRandomKills() throws Exception {
    killRepeatedly("batched", 20261204L);
  }

  private void killRepeatedly(String mode, long seed) throws Exception {
    Path data = tmp.resolve("data");
    Random random = new Random(seed);
    Map<MessageId, Digest> everSigned = new HashMap<>();
    int rounds = 0, signed = 0, refused = 0, reSignedSame = 0, killedWhileRunning = 0;
    long start = System.currentTimeMillis();
    while (rounds < MAX_ROUNDS && System.currentTimeMillis() - start < TIME_BUDGET_MS) {
      boolean tryToOpenWhileRunning = rounds == 2;
      Round round = runAndKill(data, mode, random.nextLong(), random, tryToOpenWhileRunning);
      rounds++;
      if (round.killedWhileRunning()) killedWhileRunning++;
      for (Line l : round.lines()) {
        if (!l.signed()) refused++;
        else if (l.digest().equals(everSigned.get(l.key()))) reSignedSame++;
        if (l.signed()) signed++;
      }
      List<String> violations = check(data, round.lines(), everSigned);
      assertThat(violations)
          .as("guard violations after kill #%d (child stderr: %s)", rounds, stderr())
          .isEmpty();
    }
    System.out.printf(
        "%s: %d kills, %d signatures (%d re-signed the same digest), %d conflicts refused, %d message keys signed%n",
        mode, rounds, signed, reSignedSame, refused, everSigned.size());
    // The run exercised what it claims to: many kills mid-stream, and both kinds of repeat.
    assertThat(rounds).isGreaterThanOrEqualTo(MIN_ROUNDS);
    assertThat(killedWhileRunning).isEqualTo(rounds);
    assertThat(signed).isGreaterThan(100);
    assertThat(reSignedSame).isGreaterThan(10);
    assertThat(refused).isGreaterThan(20);
    try (VigilDatabase db = VigilDatabase.open(data)) {
      // a kill between the record and the print leaves a record with no printed signature: fine
      assertThat(db.signingRecords().count()).isGreaterThanOrEqualTo(everSigned.size());
    }
  }

  @Test
  void theCheckCatchesAGuardThatSavesRecordsAfterSigning() throws Exception {
    Path data = tmp.resolve("data");
    Random random = new Random(7L);
    Map<MessageId, Digest> everSigned = new HashMap<>();
    List<String> violations = new ArrayList<>();
    int rounds = 0;
    while (rounds < 10 && violations.isEmpty()) {
      Round r = runAndKill(data, "write-behind", random.nextLong(), random, false);
      rounds++;
      violations.addAll(check(data, r.lines(), everSigned));
    }
    System.out.printf(
        "write-behind guard caught after %d kill(s): %d violations, e.g. %s%n",
        rounds, violations.size(), violations.isEmpty() ? "-" : violations.getFirst());
    assertThat(violations).as("a write-behind guard must be caught").isNotEmpty();
    assertThat(violations).anyMatch(v -> v.contains("has no signing record"));
  }

  private Round runAndKill(
      Path data, String mode, long seed, Random random, boolean tryToOpenWhileRunning)
      throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IllegalStateException("cannot find the java binary"));
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-Dlogback.configurationFile=logback-crash-child.xml",
            "-cp",
            System.getProperty("java.class.path"),
            CrashSigningChild.class.getName(),
            data.toString(),
            mode,
            Long.toString(seed));
    pb.redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("child-stderr.log").toFile()));
    Process p = pb.start();
    started.add(p);
    p.getOutputStream().close();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                    for (String l; (l = in.readLine()) != null; ) lines.add(l);
                  } catch (IOException e) {
                    lines.add("IOERROR " + e);
                  } finally {
                    lines.add(EOF);
                  }
                });

    String first = lines.poll(30, TimeUnit.SECONDS);
    if (!"READY".equals(first)) {
      p.destroyForcibly();
      throw new AssertionError(
          "child did not start (first line " + first + "); stderr: " + stderr());
    }
    if (tryToOpenWhileRunning) {
      assertThatThrownBy(() -> VigilDatabase.open(data))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("is in use by another Vigil process");
    }
    // Kill after a random number of results or after a random time, so kills land anywhere:
    // inside the fsync, between record and signature, between signature and print.
    List<String> received = new ArrayList<>();
    if (random.nextBoolean()) {
      int target = 1 + random.nextInt(200);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (received.size() < target && System.nanoTime() < deadline) {
        String l = lines.poll(100, TimeUnit.MILLISECONDS);
        if (l == null) continue;
        received.add(l);
        if (l.equals(EOF)) break;
      }
    } else {
      Thread.sleep(random.nextInt(400));
    }
    boolean alive = p.isAlive();
    p.destroyForcibly(); // SIGKILL on Linux
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("child exited after SIGKILL").isTrue();
    reader.join(10_000);
    lines.drainTo(received);

    List<Line> parsed = new ArrayList<>();
    int partial = 0;
    for (String l : received) {
      if (l.equals(EOF)) continue;
      Line line = parse(l);
      if (line == null) partial++;
      else parsed.add(line);
    }
    return new Round(parsed, partial, alive);
  }

  /** Parses a complete protocol line; null for anything else (e.g. a line cut by the kill). */
  static Line parse(String l) {
    String[] f = l.split(" ");
    try {
      if (f.length == 5 && f[0].equals("S") && f[4].equals(".")) {
        return new Line(
            true,
            MessageId.parse(f[1]),
            Digest.fromHex(f[2]),
            Signature.fromBytes(Hex.decode(f[3])));
      }
      if (f.length == 4 && f[0].equals("R") && f[3].equals(".")) {
        return new Line(false, MessageId.parse(f[1]), Digest.fromHex(f[2]), null);
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  /** Every way the printed lines and the data dir disagree with the guard's promise. */
  static List<String> checkLines(
      List<Line> lines, Map<MessageId, Digest> records, Map<MessageId, Digest> everSigned) {
    List<String> violations = new ArrayList<>();
    for (Line l : lines) {
      Digest record = records.get(l.key());
      if (l.signed()) {
        if (!SIGNER.equals(
            Secp256k1Backends.preferred().recoverAddress(l.digest().toBytes(), l.signature()))) {
          violations.add("signature printed for " + l.key() + " does not verify");
        }
        if (record == null) {
          violations.add(
              "printed signature for "
                  + l.key()
                  + " over "
                  + l.digest()
                  + " has no signing record");
        } else if (!record.equals(l.digest())) {
          violations.add(
              "printed signature for "
                  + l.key()
                  + " over "
                  + l.digest()
                  + " but the record holds "
                  + record);
        }
        Digest before = everSigned.putIfAbsent(l.key(), l.digest());
        if (before != null && !before.equals(l.digest())) {
          violations.add(
              l.key() + " was signed over two digests: " + before + " and " + l.digest());
        }
      } else if (record == null || record.equals(l.digest())) {
        violations.add(
            "refused " + l.digest() + " for " + l.key() + " but the record holds " + record);
      }
    }
    return violations;
  }

  private static List<String> check(
      Path data, List<Line> lines, Map<MessageId, Digest> everSigned) {
    Map<MessageId, Digest> records = new HashMap<>();
    try (VigilDatabase db = VigilDatabase.open(data)) {
      db.signingRecords().forEach((k, d) -> records.put(k, d) == null);
    }
    return checkLines(lines, records, everSigned);
  }

  private String stderr() {
    try {
      Path f = tmp.resolve("child-stderr.log");
      if (!Files.exists(f)) return "(none)";
      String s = Files.readString(f);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
