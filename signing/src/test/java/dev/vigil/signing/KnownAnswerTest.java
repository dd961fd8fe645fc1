package dev.vigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.testing.Vectors;
import dev.vigil.signing.testing.Vectors.WormholeVaa;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Published values that any correct secp256k1/Ethereum implementation reproduces. */
class KnownAnswerTest {
  static Stream<Secp256k1> backends() {
    return Stream.of(Secp256k1Backends.nativeLibsecp256k1(), Secp256k1Backends.bouncyCastle());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void privateKeyOneHasTheWellKnownAddress(Secp256k1 backend) {
    assertThat(
            backend
                .address(PrivateKey.fromBytes(Hex.decode("00".repeat(31) + "01")))
                .toChecksumHex())
        .isEqualTo("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  }

  /**
   * EIP-155's example transaction: key 0x4646..46 signs its signing hash with v = 37, i.e. recovery
   * id 0.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void eip155ExampleSignatureIsReproducedByteForByte(Secp256k1 backend) {
    PrivateKey key = PrivateKey.fromBytes(Hex.decode("46".repeat(32)));
    byte[] hash = Hex.decode("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    Signature expected =
        Signature.of(
            Hex.decode("28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"),
            Hex.decode("67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"),
            0);
    Address sender = Address.fromHex("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");

    assertThat(backend.sign(hash, key)).isEqualTo(expected);
    assertThat(backend.address(key)).isEqualTo(sender);
    assertThat(backend.recoverAddress(hash, expected)).isEqualTo(sender);
  }

  static Stream<Object[]> vaasAndBackends() {
    return Vectors.wormholeMainnetVaas().stream()
        .flatMap(vaa -> backends().map(b -> new Object[] {vaa, b}));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("vaasAndBackends")
  void everyGuardianSignatureOnRealWormholeVaasRecoversToItsGuardian(
      WormholeVaa vaa, Secp256k1 backend) {
    List<Address> guardians = Vectors.wormholeGuardianSet4();
    assertThat(guardians).hasSize(19);
    ByteBuffer b = ByteBuffer.wrap(vaa.vaa());
    assertThat(b.get()).as("version").isEqualTo((byte) 1);
    assertThat(Integer.toUnsignedLong(b.getInt()))
        .as("guardian set index")
        .isEqualTo(vaa.guardianSetIndex())
        .isEqualTo(4);
    int n = b.get() & 0xff;
    int[] index = new int[n];
    Signature[] sigs = new Signature[n];
    for (int i = 0; i < n; i++) {
      index[i] = b.get() & 0xff;
      byte[] rsv = new byte[65];
      b.get(rsv);
      sigs[i] = Signature.fromBytes(rsv);
    }
    byte[] body = Arrays.copyOfRange(vaa.vaa(), b.position(), vaa.vaa().length);
    byte[] digest = Keccak256.hash(Keccak256.hash(body));
    assertThat(digest).as("digest column").isEqualTo(vaa.digest());

    assertThat(n).as("signatures, quorum of 19 is 13").isGreaterThanOrEqualTo(13);
    for (int i = 0; i < n; i++) {
      assertThat(sigs[i].isCanonical()).as("signature %d is low-S", i).isTrue();
      assertThat(backend.recoverAddress(digest, sigs[i]))
          .as("signature %d by guardian %d", i, index[i])
          .isEqualTo(guardians.get(index[i]));
    }
  }

  @Test
  void theMainnetVectorsAreInTheProject() {
    assertThat(Vectors.wormholeMainnetVaas()).hasSize(2);
  }
}
