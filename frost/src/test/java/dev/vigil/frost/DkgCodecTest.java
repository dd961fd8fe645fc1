package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The DKG messages' binary encodings: round trips, and garbage never makes a decoder throw. */
class DkgCodecTest {
  private static final long SEED = 0xC0DECL;
  private final SecureRandom random = FrostProtocolTest.seeded(SEED);

  private record Codec(String name, byte tag, Function<byte[], Dkg.Decoded<?>> decode) {}

  private static final List<Codec> CODECS =
      List.of(
          new Codec("round-1 package", Dkg.TAG_ROUND1, Dkg.Round1Package::decode),
          new Codec("round-2 share", Dkg.TAG_ROUND2, Dkg.Round2Share::decode),
          new Codec("complaint", Dkg.TAG_COMPLAINT, Dkg.Complaint::decode),
          new Codec("complaint answer", Dkg.TAG_ANSWER, Dkg.ComplaintAnswer::decode));

  private List<byte[]> samples() {
    byte[] context = Dkg.context(3, "codec");
    DkgParticipant a = DkgParticipant.start(1, 3, 4, context, random);
    DkgParticipant b = DkgParticipant.start(2, 3, 4, context, random);
    DkgParticipant c = DkgParticipant.start(3, 3, 4, context, random);
    DkgParticipant d = DkgParticipant.start(4, 3, 4, context, random);
    List<DkgParticipant> all = List.of(a, b, c, d);
    for (DkgParticipant x : all) {
      for (DkgParticipant y : all) if (x != y) x.receiveRound1(y.round1Package());
    }
    Dkg.Round2Share share = b.round2Shares().get(0); // 2 -> 1
    Dkg.Complaint withEvidence = new Dkg.Complaint(1, 2, Optional.of(share));
    Dkg.Complaint without = new Dkg.Complaint(4, 2, Optional.empty());
    return List.of(
        a.round1Package().encode(),
        share.encode(),
        withEvidence.encode(),
        without.encode(),
        new Dkg.ComplaintAnswer(share).encode());
  }

  @Test
  void everyMessageRoundTrips() {
    byte[] context = Dkg.context(3, "codec");
    DkgParticipant a = DkgParticipant.start(1, 3, 4, context, random);
    Dkg.Round1Package p = a.round1Package();
    Dkg.Round1Package p2 = Dkg.Round1Package.decode(p.encode()).orThrow();
    assertThat(p2).isEqualTo(p);
    assertThat(p.encode()).hasSize(1 + 2 + 2 + 3 * 33 + 33 + 32);
    assertThat(Dkg.verifyProof(context, p2)).isTrue();

    List<byte[]> s = samples();
    Dkg.Round2Share share = Dkg.Round2Share.decode(s.get(1)).orThrow();
    assertThat(share.encode()).isEqualTo(s.get(1)).hasSize(102);
    assertThat(share.sender()).isEqualTo(2);
    assertThat(share.recipient()).isEqualTo(1);
    Dkg.Complaint c = Dkg.Complaint.decode(s.get(2)).orThrow();
    assertThat(c.evidence()).contains(share);
    assertThat(c.encode()).isEqualTo(s.get(2));
    Dkg.Complaint c2 = Dkg.Complaint.decode(s.get(3)).orThrow();
    assertThat(c2.evidence()).isEmpty();
    assertThat(c2.complainer()).isEqualTo(4);
    assertThat(c2.encode()).hasSize(6);
    Dkg.ComplaintAnswer ans = Dkg.ComplaintAnswer.decode(s.get(4)).orThrow();
    assertThat(ans.revealed()).isEqualTo(share);
  }

  @Test
  void errorsNameTheField() {
    List<byte[]> s = samples();
    byte[] r1 = s.get(0);
    assertThat(Dkg.Round1Package.decode(null).error()).contains("round-1 package: no bytes");
    assertThat(Dkg.Round1Package.decode(new byte[0]).error()).contains("type tag");
    assertThat(Dkg.Round1Package.decode(s.get(1)).error()).contains("type tag must be 01, got 02");
    assertThat(Dkg.Round1Package.decode(java.util.Arrays.copyOf(r1, 2)).error()).contains("sender");
    assertThat(Dkg.Round1Package.decode(java.util.Arrays.copyOf(r1, 40)).error())
        .contains("commitment is truncated");
    byte[] extra = java.util.Arrays.copyOf(r1, r1.length + 1);
    assertThat(Dkg.Round1Package.decode(extra).error()).contains("1 trailing bytes");
    byte[] longShare = java.util.Arrays.copyOf(s.get(1), s.get(1).length + 3);
    assertThat(Dkg.Round2Share.decode(longShare).error()).contains("3 trailing bytes");

    byte[] zeroSender = r1.clone();
    zeroSender[1] = 0;
    zeroSender[2] = 0;
    assertThat(Dkg.Round1Package.decode(zeroSender).error()).contains("sender is 0");

    byte[] offCurve = r1.clone();
    System.arraycopy(Points.notOnCurve(), 0, offCurve, 5 + 33, 33); // commitment point 1
    assertThat(Dkg.Round1Package.decode(offCurve).error())
        .contains("VSS commitment 1 of participant 1 is not a point on secp256k1");

    byte[] bigMu = r1.clone();
    java.util.Arrays.fill(bigMu, bigMu.length - 32, bigMu.length, (byte) 0xff);
    assertThat(Dkg.Round1Package.decode(bigMu).error()).contains("proof-of-knowledge mu");

    byte[] share = s.get(1).clone();
    java.util.Arrays.fill(share, 5, 37, (byte) 0xff);
    String e = Dkg.Round2Share.decode(share).error();
    assertThat(e).contains("share is not below the group order");
    assertThat(e).doesNotContain("ffff");
    byte[] self = s.get(1).clone();
    self[4] = self[2]; // recipient = sender
    self[3] = self[1];
    assertThat(Dkg.Round2Share.decode(self).error()).contains("recipient equals the sender");

    byte[] flag = s.get(3).clone();
    flag[5] = 7;
    assertThat(Dkg.Complaint.decode(flag).error()).contains("evidence flag must be 0 or 1");
    byte[] misfiled = s.get(2).clone();
    misfiled[1] = 0;
    misfiled[2] = 3; // complainer 3, evidence addressed to 1
    assertThat(Dkg.Complaint.decode(misfiled).error()).contains("is a share from 2 to 1");
  }

  @Test
  void randomBytesTruncationsAndMutationsNeverThrow() {
    Random rnd = new Random(SEED);
    List<byte[]> samples = samples();
    for (Codec codec : CODECS) {
      for (int i = 0; i < 3000; i++) {
        byte[] b = new byte[rnd.nextInt(i % 3 == 0 ? 8 : 260)];
        rnd.nextBytes(b);
        if (b.length > 0 && rnd.nextBoolean()) b[0] = codec.tag; // get past the tag
        if (b.length > 5 && rnd.nextBoolean()) b[3] = 0; // small counts and identifiers
        decodesWithoutThrowing(codec, b);
      }
      for (byte[] sample : samples) {
        for (int len = 0; len <= sample.length; len++) {
          Dkg.Decoded<?> d = decodesWithoutThrowing(codec, java.util.Arrays.copyOf(sample, len));
          if (len < sample.length) assertThat(d.isOk()).as("%s of %d bytes", codec, len).isFalse();
        }
        for (int i = 0; i < 400; i++) {
          byte[] m = sample.clone();
          int flips = 1 + rnd.nextInt(3);
          for (int f = 0; f < flips; f++) m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
          decodesWithoutThrowing(codec, m);
        }
      }
    }
  }

  private static Dkg.Decoded<?> decodesWithoutThrowing(Codec codec, byte[] b) {
    Dkg.Decoded<?> d = codec.decode.apply(b);
    assertThat(d).isNotNull();
    assertThat(d.isOk() ? d.value() : d.error()).as(codec.name).isNotNull();
    if (!d.isOk()) assertThat(d.error()).startsWith(codec.name + ":");
    if (d.isOk()) assertThat(encode(d.value())).as("re-encoded").isEqualTo(b);
    return d;
  }

  private static byte[] encode(Object message) {
    return switch (message) {
      case Dkg.Round1Package p -> p.encode();
      case Dkg.Round2Share s -> s.encode();
      case Dkg.Complaint c -> c.encode();
      case Dkg.ComplaintAnswer a -> a.encode();
      default -> throw new AssertionError(message);
    };
  }

  @Test
  void aDecodedShareWithAScalarAtTheBoundaryIsAccepted() {
    byte[] share = samples().get(1).clone();
    byte[] nMinus1 = Ciphersuite.serializeScalar(Ciphersuite.N.subtract(BigInteger.ONE));
    System.arraycopy(nMinus1, 0, share, 5, 32);
    assertThat(Dkg.Round2Share.decode(share).orThrow().share())
        .isEqualTo(Ciphersuite.N.subtract(BigInteger.ONE));
  }
}
