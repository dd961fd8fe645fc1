package dev.vigil.consensus.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the attestation decoder (Jazzer; bounded run configured in the module
 * pom). Seeds: the two real mainnet VAAs in AttestationCodecFuzzTestInputs/decode.
 */
class AttestationCodecFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void decode(byte[] bytes) {
    // never throws: any exception here is a finding
    DecodeResult<Attestation> result = AttestationCodec.decode(bytes);
    switch (result) {
      // the codec promises encode(decode(b)) == b for every accepted b
      case DecodeResult.Ok<Attestation> ok ->
          assertThat(AttestationCodec.encode(ok.value())).isEqualTo(bytes);
      case DecodeResult.Err<Attestation> err -> assertThat(err.detail()).isNotBlank();
    }
  }
}
