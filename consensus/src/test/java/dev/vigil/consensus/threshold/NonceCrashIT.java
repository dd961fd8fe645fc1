package dev.vigil.consensus.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.frost.Frost;
import dev.vigil.frost.KeyGeneration;
import dev.vigil.frost.SignatureShare;
import dev.vigil.frost.SigningCommitment;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.storage.NonceStore;
import dev.vigil.storage.VigilDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a FROST signing process ({@link NonceCrashChild}) with SIGKILL at random points, several
 * times, restarting it on the same data dir each time, and checks on the real database and on
 * everything the child printed that no nonce was ever used for two sessions: no nonce id got shares
 * for two messages, every printed share verifies for its message and is backed by a USED record for
 * that very session, and a nonce refused had another session on record.
 *
 * <p>As with {@code GuardedSignerCrashIT}, SIGKILL catches a reservation made after the share (the
 * second test shows the check catches exactly that), not an unsynced one: an unsynced RocksDB write
 * survives the process in the page cache. That reservations and batches are synced writes is
 * checked by {@code NonceStoreTest} and {@code NonceGuardedSignerTest} (RocksDB's WAL-sync
 * counter).
 */
class NonceCrashIT {
  private static final int MAX_ROUNDS = 12;
  private static final long TIME_BUDGET_MS = 60_000;
  private static final int MIN_ROUNDS = 4;
  private static final String EOF = "\u0000EOF";

  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();
  private final Frost frost = Frost.create();
  private final KeyGeneration.Dealt dealt = NonceCrashChild.dealt();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  /** A complete protocol line: a batch (B), a share (S) or a refusal (R). */
  record Line(char kind, long id, long last, int variant, SignatureShare share) {}

  record Round(List<Line> lines, boolean killedWhileRunning) {}

  /** What all rounds printed, per nonce id. */
  static final class Seen {
    final Map<Long, Integer> variant = new HashMap<>();
    final Map<Long, SignatureShare> share = new HashMap<>();
    final Set<Long> committed = new HashSet<>();
    int shares, repeats, refusals, batches, usedAfterRestart;
  }

  @Test
  void noNonceIsEverUsedForTwoSessionsAcrossRandomKills() throws Exception {
    Path data = tmp.resolve("data");
    Random random = new Random(20261208L);
    Seen seen = new Seen();
    int rounds = 0, killedWhileRunning = 0, freshLeftAtKill = 0;
    long start = System.currentTimeMillis();
    while (rounds < MAX_ROUNDS && System.currentTimeMillis() - start < TIME_BUDGET_MS) {
      Set<Long> committedBefore = new HashSet<>(seen.committed);
      Round round = runAndKill(data, "guarded", random.nextLong(), random);
      rounds++;
      if (round.killedWhileRunning()) killedWhileRunning++;
      for (Line l : round.lines()) {
        if (l.kind() == 'S' && committedBefore.contains(l.id()) && !seen.share.containsKey(l.id()))
          seen.usedAfterRestart++;
      }
      List<String> violations = check(data, round.lines(), seen);
      assertThat(violations)
          .as("nonce violations after kill #%d (child stderr: %s)", rounds, stderr())
          .isEmpty();
      freshLeftAtKill += fresh(data);
    }
    int[] reservedNeverPrinted = {0};
    try (VigilDatabase db = VigilDatabase.open(data)) {
      db.nonces()
          .forEach(
              0,
              (id, e) -> {
                if (e.state() == NonceStore.State.USED && !seen.share.containsKey(id))
                  reservedNeverPrinted[0]++;
                return true;
              });
    }
    System.out.printf(
        "nonces: %d kills (%d mid-work), %d batches, %d shares (%d repeated for the same session),"
            + " %d refusals, %d nonces first used after a restart, %d fresh nonces left at kills"
            + " (summed over kills), %d reserved but no share printed, %d nonce ids used%n",
        rounds,
        killedWhileRunning,
        seen.batches,
        seen.shares,
        seen.repeats,
        seen.refusals,
        seen.usedAfterRestart,
        freshLeftAtKill,
        reservedNeverPrinted[0],
        seen.variant.size());
    // The run did what it claims: every kill landed while the child was working, and it exercised
    // retransmissions, refusals and nonces committed before a kill and used after it.
    assertThat(rounds).isGreaterThanOrEqualTo(MIN_ROUNDS);
    assertThat(killedWhileRunning).as("kills that hit a running child").isEqualTo(rounds);
    assertThat(seen.shares).isGreaterThan(50);
    assertThat(seen.repeats).isGreaterThan(5);
    assertThat(seen.refusals).isGreaterThan(5);
    assertThat(seen.usedAfterRestart)
        .as("nonces committed before a kill and first used after the restart")
        .isGreaterThan(0);
  }

  @Test
  void theCheckCatchesASignerThatReservesAfterSharing() throws Exception {
    Path data = tmp.resolve("data");
    Random random = new Random(99L);
    Seen seen = new Seen();
    List<String> violations = new ArrayList<>();
    int rounds = 0;
    while (rounds < 12 && violations.isEmpty()) {
      Round r = runAndKill(data, "reserve-after", random.nextLong(), random);
      rounds++;
      violations.addAll(check(data, r.lines(), seen));
    }
    System.out.printf(
        "reserve-after signer caught after %d kill(s): %d violations, e.g. %s%n",
        rounds, violations.size(), violations.isEmpty() ? "-" : violations.getFirst());
    assertThat(violations).as("a signer that reserves too late must be caught").isNotEmpty();
  }

  private Round runAndKill(Path data, String mode, long seed, Random random) throws Exception {
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
            NonceCrashChild.class.getName(),
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
    String first = lines.poll(60, TimeUnit.SECONDS);
    if (!"READY".equals(first)) {
      p.destroyForcibly();
      throw new AssertionError(
          "child did not start (first line " + first + "); stderr: " + stderr());
    }
    // Kill after a random number of lines or a random time: inside a batch's fsync, between a
    // reservation and its share, between the share and its print.
    List<String> received = new ArrayList<>();
    if (random.nextBoolean()) {
      int target = 1 + random.nextInt(120);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (received.size() < target && System.nanoTime() < deadline) {
        String l = lines.poll(100, TimeUnit.MILLISECONDS);
        if (l == null) continue;
        received.add(l);
        if (l.equals(EOF)) break;
      }
    } else {
      Thread.sleep(200 + random.nextInt(800));
    }
    boolean alive = p.isAlive();
    p.destroyForcibly(); // SIGKILL on Linux
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("child exited after SIGKILL").isTrue();
    reader.join(10_000);
    lines.drainTo(received);
    List<Line> parsed = new ArrayList<>();
    for (String l : received) {
      Line line = parse(l);
      if (line != null) parsed.add(line);
    }
    return new Round(parsed, alive);
  }

  /** A complete protocol line, or null (a line cut by the kill, EOF). */
  static Line parse(String l) {
    String[] f = l.split(" ");
    try {
      if (f.length == 4 && f[0].equals("B") && f[3].equals("."))
        return new Line('B', Long.parseLong(f[1]), Long.parseLong(f[2]), -1, null);
      if (f.length == 5 && f[0].equals("S") && f[4].equals(".")) {
        return new Line(
            'S',
            Long.parseLong(f[1]),
            -1,
            Integer.parseInt(f[2]),
            SignatureShare.fromBytes(1, Hex.decode(f[3])));
      }
      if (f.length == 4 && f[0].equals("R") && f[3].equals("."))
        return new Line('R', Long.parseLong(f[1]), -1, Integer.parseInt(f[2]), null);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  private List<SigningCommitment> session(NonceStore.Entry e) {
    NonceGuardedSigner reader =
        new NonceGuardedSigner(frost, dealt.keyPackage(1), null, new java.security.SecureRandom());
    return List.of(reader.commitment(e), NonceCrashChild.peer(frost, dealt, e.id()));
  }

  private Digest sessionDigest(NonceStore.Entry e, int variant) {
    return NonceGuardedSigner.sessionDigest(
        dealt.publicKeys().groupKey(), NonceCrashChild.message(e.id(), variant), session(e));
  }

  /** Every way the printed lines and the data dir disagree with "one nonce, one session". */
  private List<String> check(Path data, List<Line> lines, Seen seen) {
    Map<Long, NonceStore.Entry> stored = new HashMap<>();
    try (VigilDatabase db = VigilDatabase.open(data)) {
      db.nonces()
          .forEach(
              0,
              (id, e) -> {
                stored.put(id, e);
                return true;
              });
    }
    List<String> violations = new ArrayList<>();
    for (Line l : lines) {
      switch (l.kind()) {
        case 'B' -> {
          seen.batches++;
          for (long id = l.id(); id <= l.last(); id++) {
            seen.committed.add(id);
            if (!stored.containsKey(id))
              violations.add("commitment of nonce " + id + " was sent but the nonce is not stored");
          }
        }
        case 'S' -> {
          seen.shares++;
          NonceStore.Entry e = stored.get(l.id());
          if (e == null) {
            violations.add("share printed for nonce " + l.id() + ", which is not stored");
            continue;
          }
          byte[] message = NonceCrashChild.message(l.id(), l.variant());
          if (!frost.verifySignatureShare(
              l.share(),
              dealt.publicKeys().verifyingShare(1),
              session(e),
              dealt.publicKeys().groupKey(),
              message)) {
            violations.add("share printed for nonce " + l.id() + " does not verify");
          }
          Digest expected = sessionDigest(e, l.variant());
          if (e.digest().isEmpty()) {
            violations.add(
                "share printed for nonce " + l.id() + " but the nonce is not recorded as used");
          } else if (!e.digest().get().equals(expected)) {
            violations.add(
                "share printed for nonce "
                    + l.id()
                    + " variant "
                    + l.variant()
                    + " but it is recorded as used for another session");
          }
          Integer before = seen.variant.putIfAbsent(l.id(), l.variant());
          if (before != null && before != l.variant()) {
            violations.add(
                "nonce "
                    + l.id()
                    + " made shares for two messages: variants "
                    + before
                    + " and "
                    + l.variant());
          }
          SignatureShare earlier = seen.share.putIfAbsent(l.id(), l.share());
          if (earlier != null) {
            if (earlier.equals(l.share())) seen.repeats++;
            else violations.add("nonce " + l.id() + " made two different shares");
          }
        }
        case 'R' -> {
          seen.refusals++;
          NonceStore.Entry e = stored.get(l.id());
          if (e == null || e.digest().isEmpty()) {
            violations.add("nonce " + l.id() + " was refused but is not recorded as used");
          } else if (e.digest().get().equals(sessionDigest(e, l.variant()))) {
            violations.add(
                "nonce " + l.id() + " was refused for the very session it is recorded for");
          }
        }
        default -> throw new IllegalStateException();
      }
    }
    return violations;
  }

  private static int fresh(Path data) {
    int[] n = {0};
    try (VigilDatabase db = VigilDatabase.open(data)) {
      db.nonces()
          .forEach(
              0,
              (id, e) -> {
                if (e.state() == NonceStore.State.FRESH) n[0]++;
                return true;
              });
    }
    return n[0];
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
