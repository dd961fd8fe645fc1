package dev.vigil.consensus.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the peer wire decoder the way Pekko calls it ({@link WireSerializer#fromBinary}). The
 * first input byte picks the manifest (one of the six, or an unknown one), the rest is the message.
 * Garbage must come back as an {@link PeerMessage.Undecodable} with a specific reason — reaching
 * the decoder's defensive catch-all ("malformed …") counts as a finding too, because it means some
 * field check is missing — and a decoded message re-encodes to a stable canonical form.
 */
class WireSerializerFuzzTest {
  private static final List<String> MANIFESTS =
      List.of(
          WireCodec.OBSERVATION_BATCH,
          WireCodec.ATTESTATION_BATCH,
          WireCodec.OBSERVATION_REQUEST,
          WireCodec.HEARTBEAT,
          WireCodec.BODY_REQUEST,
          WireCodec.BODY_REPLY,
          "Unknown.v1");
  private static final WireSerializer SERIALIZER = new WireSerializer(null); // the system is unused

  @FuzzTest(maxDuration = "5s")
  void fromBinary(byte[] input) throws Exception {
    if (input.length == 0) return;
    String manifest = MANIFESTS.get((input[0] & 0xFF) % MANIFESTS.size());
    byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
    Object decoded = SERIALIZER.fromBinary(bytes, manifest);
    switch (decoded) {
      case PeerMessage.Undecodable u ->
          assertThat(u.reason()).as("decoder threw").doesNotStartWith("malformed ");
      case PeerMessage m -> {
        assertThat(SERIALIZER.manifest(m)).isEqualTo(manifest);
        byte[] canonical = SERIALIZER.toBinary(m);
        Object again = SERIALIZER.fromBinary(canonical, manifest);
        assertThat(again).isInstanceOf(m.getClass());
        assertThat(SERIALIZER.toBinary(again))
            .as("re-encoding of the re-decoded message")
            .isEqualTo(canonical);
      }
      default -> throw new AssertionError("fromBinary returned a " + decoded.getClass());
    }
  }
}
