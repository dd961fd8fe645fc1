package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.signing.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9591 appendix E.5, FROST(secp256k1, SHA-256): the vector's shares, nonce randomness, message
 * and signers through this code, every intermediate compared byte for byte, on both point backends.
 */
class Rfc9591VectorTest {
  private static final JsonNode V = load();

  static Stream<GroupOps> backends() {
    return Stream.of(GroupOps.bouncyCastle(), GroupOps.nativeLibsecp256k1());
  }

  @Test
  void theVectorIsTheRfcCiphersuite() {
    assertThat(V.at("/config/name").asText()).isEqualTo("FROST(secp256k1, SHA-256)");
    assertThat(Ciphersuite.CONTEXT_STRING).isEqualTo("FROST-secp256k1-SHA256-v1");
  }

  @Test
  void expandMessageXmdMatchesRfc9380Sha256Vectors() {
    byte[] dst = "QUUX-V01-CS02-with-expander-SHA256-128".getBytes(StandardCharsets.US_ASCII);
    assertThat(Hex.encode(Ciphersuite.expandMessageXmd(new byte[0], dst, 0x20)))
        .isEqualTo("68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235");
    assertThat(
            Hex.encode(
                Ciphersuite.expandMessageXmd("abc".getBytes(StandardCharsets.US_ASCII), dst, 0x20)))
        .isEqualTo("d8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theDealerSplitsTheVectorSecretIntoTheVectorShares(GroupOps ops) {
    BigInteger secret = scalar(V.at("/inputs/group_secret_key"));
    List<BigInteger> coefficients = new ArrayList<>();
    for (JsonNode c : V.at("/inputs/share_polynomial_coefficients")) coefficients.add(scalar(c));
    int max = V.at("/config/MAX_PARTICIPANTS").asInt();

    KeyGeneration.Dealt dealt = KeyGeneration.split(secret, coefficients, max, ops);

    assertThat(Hex.encode(dealt.publicKeys().groupKey()))
        .isEqualTo(V.at("/inputs/group_public_key").asText());
    assertThat(dealt.publicKeys().minSigners()).isEqualTo(V.at("/config/MIN_PARTICIPANTS").asInt());
    for (JsonNode s : V.at("/inputs/participant_shares")) {
      KeyPackage k = dealt.keyPackage(s.get("identifier").asInt());
      assertThat(Hex.encode(k.signingShareBytes()))
          .as("share of participant %d", k.identifier())
          .isEqualTo(s.get("participant_share").asText());
      assertThat(KeyGeneration.vssVerify(k, dealt.vssCommitment())).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void everyIntermediateAndTheSignatureMatchTheVector(GroupOps ops) {
    Frost frost = Frost.using(ops);
    byte[] groupKey = Hex.decode(V.at("/inputs/group_public_key").asText());
    byte[] message = Hex.decode(V.at("/inputs/message").asText());
    int min = V.at("/config/MIN_PARTICIPANTS").asInt();
    Map<Integer, KeyPackage> keys = new LinkedHashMap<>();
    for (JsonNode s : V.at("/inputs/participant_shares")) {
      int id = s.get("identifier").asInt();
      keys.put(
          id, KeyPackage.of(id, Hex.decode(s.get("participant_share").asText()), groupKey, min));
    }
    assertThat(Hex.encode(ops.mulBase(scalar(V.at("/inputs/group_secret_key")))))
        .isEqualTo(Hex.encode(groupKey));

    // round one: nonce randomness -> nonces -> commitments, through the public commit()
    Map<Integer, SigningNonces> nonces = new LinkedHashMap<>();
    List<SigningCommitment> commitments = new ArrayList<>();
    for (JsonNode o : V.at("/round_one_outputs/outputs")) {
      int id = o.get("identifier").asInt();
      KeyPackage k = keys.get(id);
      byte[] hidingRandom = Hex.decode(o.get("hiding_nonce_randomness").asText());
      byte[] bindingRandom = Hex.decode(o.get("binding_nonce_randomness").asText());
      assertThat(hex(Ciphersuite.nonceGenerate(hidingRandom, k.signingShare())))
          .as("hiding nonce of %d", id)
          .isEqualTo(o.get("hiding_nonce").asText());
      assertThat(hex(Ciphersuite.nonceGenerate(bindingRandom, k.signingShare())))
          .as("binding nonce of %d", id)
          .isEqualTo(o.get("binding_nonce").asText());

      SigningNonces n = frost.commit(k, new Replay(hidingRandom, bindingRandom));
      assertThat(Hex.encode(n.commitment().hiding()))
          .as("hiding commitment of %d", id)
          .isEqualTo(o.get("hiding_nonce_commitment").asText());
      assertThat(Hex.encode(n.commitment().binding()))
          .as("binding commitment of %d", id)
          .isEqualTo(o.get("binding_nonce_commitment").asText());
      nonces.put(id, n);
      commitments.add(n.commitment());
    }
    assertThat(nonces.keySet()).containsExactlyElementsOf(ints(V.at("/inputs/participant_list")));

    // binding factors
    Map<Integer, byte[]> inputs = Frost.bindingFactorInputs(groupKey, commitments, message);
    for (JsonNode o : V.at("/round_one_outputs/outputs")) {
      int id = o.get("identifier").asInt();
      assertThat(Hex.encode(inputs.get(id)))
          .as("binding factor input of %d", id)
          .isEqualTo(o.get("binding_factor_input").asText());
      assertThat(hex(Ciphersuite.h1(inputs.get(id))))
          .as("binding factor of %d", id)
          .isEqualTo(o.get("binding_factor").asText());
    }

    // round two
    List<SignatureShare> shares = new ArrayList<>();
    for (JsonNode o : V.at("/round_two_outputs/outputs")) {
      int id = o.get("identifier").asInt();
      SignatureShare share = frost.sign(keys.get(id), nonces.get(id), message, commitments);
      assertThat(Hex.encode(share.toBytes()))
          .as("signature share of %d", id)
          .isEqualTo(o.get("sig_share").asText());
      assertThat(
              frost.verifySignatureShare(
                  share, keys.get(id).verifyingShare(), commitments, groupKey, message))
          .as("share of %d verifies", id)
          .isTrue();
      shares.add(share);
    }

    // aggregate and verify
    Map<Integer, byte[]> verifying = new LinkedHashMap<>();
    keys.forEach((id, k) -> verifying.put(id, k.verifyingShare()));
    PublicKeyPackage pub = new PublicKeyPackage(groupKey, verifying, min);
    FrostSignature sig = frost.aggregate(commitments, message, shares, pub);
    assertThat(Hex.encode(sig.toBytes())).isEqualTo(V.at("/final_output/sig").asText());
    assertThat(sig.toBytes()).hasSize(65);
    assertThat(frost.verify(sig, message, groupKey)).isTrue();
    assertThat(frost.verify(FrostSignature.fromBytes(sig.toBytes()), message, groupKey)).isTrue();
    assertThat(frost.verify(sig, "tesT".getBytes(StandardCharsets.US_ASCII), groupKey)).isFalse();
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode n : array) out.add(n.asInt());
    return out;
  }

  private static BigInteger scalar(JsonNode hex) {
    return Ciphersuite.deserializeScalar(Hex.decode(hex.asText()), "vector scalar");
  }

  private static String hex(BigInteger s) {
    return Hex.encode(Ciphersuite.serializeScalar(s));
  }

  private static JsonNode load() {
    try (InputStream in =
        Rfc9591VectorTest.class.getResourceAsStream(
            "/vectors/frost-secp256k1-sha256-rfc9591.json")) {
      if (in == null) throw new IllegalStateException("RFC 9591 vector missing from the classpath");
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A "random" source that hands out the vector's nonce randomness, in order. */
  static final class Replay extends SecureRandom {
    private final Deque<byte[]> queue = new ArrayDeque<>();

    Replay(byte[]... chunks) {
      for (byte[] c : chunks) queue.add(c.clone());
    }

    @Override
    public void nextBytes(byte[] bytes) {
      byte[] next = queue.poll();
      if (next == null || next.length != bytes.length) {
        throw new IllegalStateException("replay source: unexpected request for " + bytes.length);
      }
      System.arraycopy(next, 0, bytes, 0, bytes.length);
    }
  }
}
