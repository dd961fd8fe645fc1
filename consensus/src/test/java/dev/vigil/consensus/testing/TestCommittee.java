package dev.vigil.consensus.testing;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.signing.Digest;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Signer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** A committee with in-memory keys from a seeded Random, for signing test attestations. */
public final class TestCommittee {
  private final Committee committee;
  private final List<Signer> signers;

  private TestCommittee(Committee committee, List<Signer> signers) {
    this.committee = committee;
    this.signers = signers;
  }

  public static TestCommittee create(Random random, long index, int size, Secp256k1 backend) {
    List<Signer> signers = new ArrayList<>(size);
    for (int i = 0; i < size; i++) signers.add(new LocalKeySigner(randomKey(random), backend));
    return new TestCommittee(
        new Committee(index, signers.stream().map(Signer::address).toList()), List.copyOf(signers));
  }

  /**
   * A key from a seeded Random (PrivateKey.random wants a SecureRandom, which cannot be seeded).
   */
  public static PrivateKey randomKey(Random random) {
    byte[] b = new byte[32];
    while (true) {
      random.nextBytes(b);
      try {
        return PrivateKey.fromBytes(b);
      } catch (IllegalArgumentException outOfRange) {
        // 0 or >= n: draw again (probability ~2^-128)
      } finally {
        Arrays.fill(b, (byte) 0);
      }
    }
  }

  public Committee committee() {
    return committee;
  }

  public Signer signer(int index) {
    return signers.get(index);
  }

  public GuardianSignature sign(int signerIndex, Digest digest) {
    return new GuardianSignature(signerIndex, signers.get(signerIndex).sign(digest.toBytes()));
  }

  /** A v1 attestation of {@code body} signed by the given members, in the order given. */
  public Attestation attest(Body body, int... signerIndices) {
    Digest d = body.digest();
    List<GuardianSignature> sigs = new ArrayList<>();
    for (int i : signerIndices) sigs.add(sign(i, d));
    return Attestation.v1(committee.index(), sigs, body);
  }

  /** Signed by the first quorum members. */
  public Attestation attestQuorum(Body body) {
    int[] first = new int[committee.quorum()];
    Arrays.setAll(first, i -> i);
    return attest(body, first);
  }
}
