package dev.vigil.consensus.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.testing.MainnetVectors;
import dev.vigil.signing.Hex;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AttestationCodecTest {
  static java.util.List<MainnetVectors.Vaa> vaas() {
    return MainnetVectors.vaas();
  }

  @ParameterizedTest
  @MethodSource("vaas")
  void mainnetVaaDecodesAndReencodesToTheSameBytes(MainnetVectors.Vaa vaa) {
    Attestation a = AttestationCodec.decode(vaa.bytes()).orElseThrow();
    assertThat(a.version()).isEqualTo(1);
    assertThat(a.committeeIndex()).isEqualTo(vaa.committeeIndex());
    assertThat(a.signatures()).hasSize(13);
    assertThat(a.digest()).isEqualTo(vaa.digest());
    assertThat(Hex.encode(a.encode())).isEqualTo(Hex.encode(vaa.bytes()));
    assertThat(a.encodedLength()).isEqualTo(vaa.bytes().length);
  }

  @ParameterizedTest
  @MethodSource("vaas")
  void bodyDecodesOnItsOwn(MainnetVectors.Vaa vaa) {
    Attestation a = AttestationCodec.decode(vaa.bytes()).orElseThrow();
    byte[] body = a.body().encode();
    byte[] all = vaa.bytes();
    assertThat(body).isEqualTo(Arrays.copyOfRange(all, all.length - body.length, all.length));
    assertThat(AttestationCodec.decodeBody(body).orElseThrow()).isEqualTo(a.body());
    assertThat(Body.digestOf(body)).isEqualTo(vaa.digest());
  }
}
