package dev.vigil.consensus.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the committee-rotation decoder: never throws, and every accepted payload re-encodes to
 * itself.
 */
class GovernanceCodecFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void decodeRotation(byte[] payload) {
    switch (GovernanceCodec.decodeRotation(payload)) {
      case RotationResult.Ok ok -> {
        // the format has no slack (exact length, fixed module and action), so decoding is injective
        assertThat(ok.rotation().encode()).isEqualTo(payload);
        assertThat(ok.rotation().members()).isNotEmpty().doesNotHaveDuplicates();
      }
      case RotationResult.Err err -> assertThat(err.detail()).isNotBlank();
    }
  }
}
