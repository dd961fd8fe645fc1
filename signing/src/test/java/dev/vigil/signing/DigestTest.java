package dev.vigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DigestTest {
  private static final String HEX = "ab".repeat(31) + "0f";

  @Test
  void printsAs0xAnd64LowercaseHexDigitsInEveryForm() {
    Digest d = Digest.fromHex(HEX.toUpperCase());
    assertThat(d.toHex()).isEqualTo("0x" + HEX);
    assertThat(d).hasToString("0x" + HEX);
    assertThat("digest " + d).isEqualTo("digest 0x" + HEX);
  }

  @Test
  void parsesWithOrWithoutThePrefixToTheSameDigest() {
    assertThat(Digest.fromHex("0x" + HEX))
        .isEqualTo(Digest.fromHex(HEX))
        .isEqualTo(Digest.wrap(Hex.decode(HEX)));
  }

  @Test
  void aDigestIsExactly32BytesAndCannotBeChangedFromOutside() {
    assertThatThrownBy(() -> Digest.wrap(new byte[31]))
        .hasMessageContaining("a digest is 32 bytes, got 31");
    assertThatThrownBy(() -> Digest.wrap(null)).hasMessageContaining("got null");
    byte[] raw = new byte[32];
    Digest d = Digest.wrap(raw);
    raw[0] = 1;
    d.toBytes()[1] = 1;
    assertThat(d.toBytes()).containsOnly(0);
  }
}
