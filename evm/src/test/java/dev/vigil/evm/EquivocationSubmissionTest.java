package dev.vigil.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Kept evidence becomes exactly the staking contract's input, or says what is missing. */
class EquivocationSubmissionTest {
  static final Signer MEMBER =
      new dev.vigil.signing.LocalKeySigner(
          PrivateKey.random(new SecureRandom()), Secp256k1Backends.bouncyCastle());
  static final Body A =
      new Body(1, 2, 2, Bytes32.fromHex("11".repeat(32)), 7, 1, new byte[] {1, 2, 3});
  static final Body B = new Body(1, 3, 2, Bytes32.fromHex("11".repeat(32)), 7, 1, new byte[] {1});

  static SignedObservation signed(Body b, boolean withBody) {
    var so =
        SignedObservation.of(
            4, 3, b, MEMBER.sign(b.digest().toBytes()), Bytes32.fromHex("00".repeat(32)));
    return withBody ? so : so.withoutBody();
  }

  @Test
  void bothBodiesMakeASubmissionWhoseCalldataIsTheContractCall() throws Exception {
    var built =
        EquivocationSubmission.from(List.of(signed(A, true), signed(B, true)), MEMBER.address());
    var s = ((EquivocationSubmission.Complete) built).submission();
    assertThat(s.committeeIndex()).isEqualTo(4);
    assertThat(s.signerIndex()).isEqualTo(3);
    assertThat(s.bodyA()).isEqualTo(A.encode());
    assertThat(s.calldata())
        .startsWith(
            Numeric.toHexString(
                    Hash.sha3(
                        "submitEquivocation(uint32,uint8,bytes,bytes,bytes,bytes)".getBytes()))
                .substring(0, 10));
    assertThat(s.messageIdHex()).isEqualTo(Numeric.toHexStringNoPrefix(A.messageId().encode()));
    var json = s.toJson(new ObjectMapper().createObjectNode());
    assertThat(EquivocationSubmission.fromJson(json)).isEqualTo(s);
    json.put("calldata", "0x00");
    assertThatThrownBy(() -> EquivocationSubmission.fromJson(json))
        .hasMessageContaining("calldata is not the encoding");
  }

  @Test
  void aMissingBodyIsNamedAndNoSubmissionIsMade() {
    var built =
        EquivocationSubmission.from(List.of(signed(A, true), signed(B, false)), MEMBER.address());
    assertThat(((EquivocationSubmission.Incomplete) built).reason())
        .contains("the second body (digest " + B.digest() + ") is not known here")
        .contains("peers were asked");
  }

  @Test
  void aHighSSignatureIsNotSubmitted() {
    SignedObservation a = signed(A, true);
    Signature sig = a.signature();
    BigInteger n =
        new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    BigInteger highS = n.subtract(new BigInteger(1, sig.s()));
    Signature malleated = Signature.of(sig.r(), Numeric.toBytesPadded(highS, 32), sig.v() ^ 1);
    SignedObservation bad =
        SignedObservation.of(4, 3, A, malleated, Bytes32.fromHex("00".repeat(32)));
    var built = EquivocationSubmission.from(List.of(bad, signed(B, true)), MEMBER.address());
    assertThat(((EquivocationSubmission.Incomplete) built).reason()).contains("is not low-s");
  }

  @Test
  void customErrorsOfTheContractAreDecoded() {
    String already =
        Numeric.toHexString(Hash.sha3("AlreadySlashed(address)".getBytes())).substring(0, 10)
            + FunctionEncoder.encodeConstructor(List.of(new Address(MEMBER.address().toHex())));
    var e =
        new ContractRevertException(
            "submitEquivocation", ContractRevertException.decodeRevertData(already), null);
    var err = VigilStakingContract.error(e).orElseThrow();
    assertThat(err.alreadySlashed()).isTrue();
    assertThat(err.name())
        .isEqualToIgnoringCase("AlreadySlashed(" + MEMBER.address().toHex() + ")");
    String same = Numeric.toHexString(Hash.sha3("SameDigest()".getBytes())).substring(0, 10);
    var refused =
        VigilStakingContract.error(
                new ContractRevertException(
                    "submitEquivocation", ContractRevertException.decodeRevertData(same), null))
            .orElseThrow();
    assertThat(refused.message()).isEqualTo("the two bodies have the same digest");
    assertThat(
            VigilStakingContract.error(
                new ContractRevertException("submitEquivocation", "only owner", null)))
        .isEmpty();
  }
}
