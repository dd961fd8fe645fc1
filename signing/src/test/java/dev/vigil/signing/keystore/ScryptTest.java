package dev.vigil.signing.keystore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScryptTest {
  @ParameterizedTest(name = "P=''{0}'' S=''{1}'' N={2} r={3} p={4}")
  @CsvSource({
    "'', '', 16, 1, 1, 77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
    "password, NaCl, 1024, 8, 16, fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
  })
  void matchesRfc7914TestVectors(
      String password, String salt, int n, int r, int p, String expected) {
    byte[] dk =
        Scrypt.derive(
            password.getBytes(StandardCharsets.US_ASCII),
            salt.getBytes(StandardCharsets.US_ASCII),
            n,
            r,
            p,
            64);
    assertThat(Hex.encode(dk)).isEqualTo(expected);
  }

  @Test
  void matchesBouncyCastleWhereBouncyCastleAcceptsTheParameters() {
    Random rnd = new Random(7);
    int[][] params = {{2, 1, 1}, {256, 1, 3}, {1024, 2, 1}, {64, 8, 2}, {512, 3, 1}};
    for (int[] q : params) {
      byte[] pw = new byte[rnd.nextInt(20)];
      byte[] salt = new byte[32];
      rnd.nextBytes(pw);
      rnd.nextBytes(salt);
      assertThat(Scrypt.derive(pw, salt, q[0], q[1], q[2], 32))
          .as("n=%d r=%d p=%d", q[0], q[1], q[2])
          .isEqualTo(SCrypt.generate(pw, salt, q[0], q[1], q[2], 32));
    }
  }
}
