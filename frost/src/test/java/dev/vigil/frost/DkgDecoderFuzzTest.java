package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the four DKG decoders on the same input: none throws, an error names its message, and
 * every accepted input re-encodes to itself (the formats have no slack).
 */
class DkgDecoderFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void decoders(byte[] input) {
    var r1 = Dkg.Round1Package.decode(input);
    if (r1.isOk()) assertThat(r1.value().encode()).isEqualTo(input);
    else assertThat(r1.error()).startsWith("round-1 package: ");
    var r2 = Dkg.Round2Share.decode(input);
    if (r2.isOk()) assertThat(r2.value().encode()).isEqualTo(input);
    else assertThat(r2.error()).startsWith("round-2 share: ");
    var c = Dkg.Complaint.decode(input);
    if (c.isOk()) assertThat(c.value().encode()).isEqualTo(input);
    else assertThat(c.error()).startsWith("complaint: ");
    var a = Dkg.ComplaintAnswer.decode(input);
    if (a.isOk()) assertThat(a.value().encode()).isEqualTo(input);
    else assertThat(a.error()).startsWith("complaint answer: ");
  }
}
