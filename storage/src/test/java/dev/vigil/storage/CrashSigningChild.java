package dev.vigil.storage;

import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The process that {@code GuardedSignerCrashIT} kills. It signs a stream of (message key, digest)
 * pairs on a data dir, where each key has three candidate digests, so it keeps re-signing keys with
 * the same digest and with conflicting ones. Protocol on stdout, one flushed line per result:
 *
 * <pre>
 * READY
 * S &lt;messageKey&gt; &lt;digestHex&gt; &lt;signatureHex&gt; .   a signature was returned
 * R &lt;messageKey&gt; &lt;digestHex&gt; .                  refused as a conflict
 * </pre>
 *
 * Args: dataDir mode seed. Mode {@code guarded} uses {@link GuardedSigner#sign}; {@code batched}
 * uses {@link GuardedSigner#signAll} on batches of 1 to {@value #MAX_BATCH} pairs (a key may come
 * twice in one batch, with the same or another digest) and prints each batch's results in order;
 * {@code write-behind} is a deliberately broken guard that persists records in batches after
 * signing, so the parent can show that its check catches a guard that saves too late.
 */
public final class CrashSigningChild {
  static final String SIGNER_LABEL = "crash test signer";
  static final int KEYS = 400;
  static final int DIGESTS_PER_KEY = 3;
  static final int MAX_OPS = 200_000;
  static final int WRITE_BEHIND_BATCH = 25;
  static final int MAX_BATCH = 64;

  private CrashSigningChild() {}

  static MessageId messageKey(int n) {
    return TestData.key(2, 0x5a, n);
  }

  static Digest candidate(int n, int variant) {
    return TestData.digest("message " + n + " variant " + variant);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    Random random = new Random(Long.parseLong(args[2]));
    // One write() per line, so a kill never interleaves half lines with other output.
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false,
            StandardCharsets.US_ASCII);
    Signer signer = TestData.signer(SIGNER_LABEL);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      GuardedSigner guard = new GuardedSigner(signer, db.signingRecords());
      Map<MessageId, Digest> notYetSaved = new LinkedHashMap<>();
      out.println("READY");
      out.flush();
      if (mode.equals("batched")) {
        for (int op = 0; op < MAX_OPS; ) {
          List<SigningRecordStore.Proposal> batch = new ArrayList<>();
          int size = 1 + random.nextInt(MAX_BATCH);
          for (int i = 0; i < size; i++, op++) {
            int n = random.nextInt(KEYS);
            batch.add(
                new SigningRecordStore.Proposal(
                    messageKey(n), candidate(n, random.nextInt(DIGESTS_PER_KEY))));
          }
          for (GuardedSigner.Result r : guard.signAll(batch)) {
            if (r.signed())
              out.println(
                  "S "
                      + r.key()
                      + " "
                      + r.digest().toHex()
                      + " "
                      + Hex.encode0x(r.signature().toBytes())
                      + " .");
            else out.println("R " + r.key() + " " + r.digest().toHex() + " .");
            out.flush();
          }
        }
        return;
      }
      for (int op = 0; op < MAX_OPS; op++) {
        int n = random.nextInt(KEYS);
        MessageId key = messageKey(n);
        Digest digest = candidate(n, random.nextInt(DIGESTS_PER_KEY));
        Signature sig;
        if (mode.equals("guarded")) {
          try {
            sig = guard.sign(key, digest);
          } catch (DoubleSignRefusedException e) {
            out.println("R " + key + " " + digest.toHex() + " .");
            out.flush();
            continue;
          }
        } else if (mode.equals("write-behind")) {
          Optional<Digest> recorded =
              Optional.ofNullable(notYetSaved.get(key)).or(() -> db.signingRecords().get(key));
          if (!SigningDecision.decide(recorded, digest).allowsSigning()) {
            out.println("R " + key + " " + digest.toHex() + " .");
            out.flush();
            continue;
          }
          sig = signer.sign(digest.toBytes());
          notYetSaved.putIfAbsent(key, digest);
        } else {
          throw new IllegalArgumentException("unknown mode " + mode);
        }
        out.println("S " + key + " " + digest.toHex() + " " + Hex.encode0x(sig.toBytes()) + " .");
        out.flush();
        if (notYetSaved.size() >= WRITE_BEHIND_BATCH) {
          notYetSaved.forEach(db.signingRecords()::checkAndRecord);
          notYetSaved.clear();
        }
      }
    }
  }
}
