package dev.vigil.consensus.threshold;

import dev.vigil.frost.Frost;
import dev.vigil.frost.KeyGeneration;
import dev.vigil.frost.SignatureShare;
import dev.vigil.frost.SigningCommitment;
import dev.vigil.signing.Hex;
import dev.vigil.storage.NonceRefusedException;
import dev.vigil.storage.NonceStore;
import dev.vigil.storage.VigilDatabase;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The process that {@code NonceCrashIT} kills. Participant 1 of a fixed 2-of-3 dealing commits
 * nonce batches and signs with each nonce one of two messages picked at random; participant 2's
 * commitment for nonce {@code id} is fixed by the id, so a session is determined by (id, variant).
 * On start it first goes over what the data dir holds: fresh nonces are signed, then up to {@value
 * #RETRIES_AT_START} used ones are tried again with a random variant (a retransmission or a
 * conflict). It also retries earlier ids now and then. Protocol on stdout, one flushed line per
 * event:
 *
 * <pre>
 * READY
 * B &lt;firstId&gt; &lt;lastId&gt; .                a batch of commitments may leave
 * S &lt;id&gt; &lt;variant&gt; &lt;shareHex&gt; .         a share was returned
 * R &lt;id&gt; &lt;variant&gt; .                    refused: used for another session
 * </pre>
 *
 * Args: dataDir mode seed. Mode {@code guarded} uses {@link NonceGuardedSigner}; {@code
 * reserve-after} is a deliberately broken signer that signs with the stored nonce and reserves it
 * only after printing the share, so that the parent can show its check catches that.
 */
public final class NonceCrashChild {
  static final long DEALER_SEED = 0x14C0FFEEL;
  static final int MAX_BATCH = 12;
  static final int RETRIES_AT_START = 20;

  private NonceCrashChild() {}

  static KeyGeneration.Dealt dealt() {
    return KeyGeneration.trustedDealer(2, 3, NonceGuardedSignerTest.seeded(DEALER_SEED));
  }

  static byte[] message(long id, int variant) {
    return ("nonce crash test: nonce " + id + " variant " + variant)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Participant 2's commitment in the session of nonce {@code id} (fixed by the id). */
  static SigningCommitment peer(Frost frost, KeyGeneration.Dealt dealt, long id) {
    // never seed 0: SecureRandom.setSeed(0L) is ignored, and the generator would seed itself
    return frost
        .commit(dealt.keyPackage(2), NonceGuardedSignerTest.seeded(0x5EED0000L + id))
        .commitment();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    Random random = new Random(Long.parseLong(args[2]));
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false,
            StandardCharsets.US_ASCII);
    Frost frost = Frost.create();
    KeyGeneration.Dealt dealt = dealt();
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      NonceStore store = db.nonces();
      NonceGuardedSigner signer =
          new NonceGuardedSigner(frost, dealt.keyPackage(1), store, new SecureRandom());
      Child child = new Child(frost, dealt, store, signer, mode, out);
      out.println("READY");
      out.flush();
      // What the data dir holds: fresh nonces first (committed before the kill, used now), then
      // a sample of used ones again (a retransmission or a conflict).
      List<Long> fresh = new ArrayList<>();
      List<Long> used = new ArrayList<>();
      store.forEach(
          0,
          (id, e) -> {
            (e.state() == NonceStore.State.FRESH ? fresh : used).add(id);
            return true;
          });
      for (long id : fresh) child.sign(id, random.nextInt(2));
      Collections.shuffle(used, random);
      for (long id : used.subList(0, Math.min(RETRIES_AT_START, used.size()))) {
        child.sign(id, random.nextInt(2));
      }
      List<Long> done = new ArrayList<>(fresh);
      done.addAll(used);
      for (int round = 0; round < 100_000; round++) {
        List<NonceGuardedSigner.Committed> batch =
            signer.commitBatch(1 + random.nextInt(MAX_BATCH));
        out.println("B " + batch.getFirst().id() + " " + batch.getLast().id() + " .");
        out.flush();
        for (NonceGuardedSigner.Committed c : batch) {
          child.sign(c.id(), random.nextInt(2));
          done.add(c.id());
          if (random.nextInt(5) == 0) {
            child.sign(done.get(random.nextInt(done.size())), random.nextInt(2));
          }
        }
      }
    }
  }

  private record Child(
      Frost frost,
      KeyGeneration.Dealt dealt,
      NonceStore store,
      NonceGuardedSigner signer,
      String mode,
      PrintStream out) {
    void sign(long id, int variant) throws Exception {
      byte[] message = message(id, variant);
      SigningCommitment own = own(id);
      List<SigningCommitment> session = List.of(own, peer(frost, dealt, id));
      SignatureShare share;
      switch (mode) {
        case "guarded" -> {
          try {
            share = signer.sign(id, message, session);
          } catch (NonceRefusedException e) {
            out.println("R " + id + " " + variant + " .");
            out.flush();
            return;
          }
        }
        case "reserve-after" -> {
          NonceStore.Entry e = store.get(id).orElseThrow();
          var digest =
              NonceGuardedSigner.sessionDigest(dealt.publicKeys().groupKey(), message, session);
          if (e.digest().isPresent() && !e.digest().get().equals(digest)) {
            out.println("R " + id + " " + variant + " .");
            out.flush();
            return;
          }
          // Broken on purpose: the share leaves before the nonce is recorded as used.
          share = signer.share(e, message, session);
          out.println("S " + id + " " + variant + " " + Hex.encode(share.toBytes()) + " .");
          out.flush();
          Thread.sleep(2); // the window a kill can land in
          store.reserve(id, digest);
          return;
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
      out.println("S " + id + " " + variant + " " + Hex.encode(share.toBytes()) + " .");
      out.flush();
    }

    private SigningCommitment own(long id) {
      return signer.commitment(store.get(id).orElseThrow());
    }
  }
}
