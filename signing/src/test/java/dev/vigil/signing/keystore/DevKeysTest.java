package dev.vigil.signing.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Address;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.PrivateKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;

class DevKeysTest {
  @Test
  void devKeyIIsKeccakOfItsSeedTextAndWeb3jAgreesOnItsAddress() {
    for (int i = 0; i < 7; i++) {
      byte[] seed =
          Keccak256.hash(("vigil-devnet-guardian-" + i).getBytes(StandardCharsets.US_ASCII));
      String web3j = Credentials.create(ECKeyPair.create(new BigInteger(1, seed))).getAddress();
      assertThat(DevKeys.address(i).toHex()).isEqualTo(web3j);
    }
    assertThat(DevKeys.address(0))
        .isEqualTo(Address.fromHex("0x98cA162111aF0d56B4b51706d2dB7B97598B8fe4"));
  }

  @Test
  void everyIndexGivesADistinctValidKey() {
    Set<Address> seen = new HashSet<>();
    for (int i = 0; i <= DevKeys.MAX_INDEX; i++) assertThat(seen.add(DevKeys.address(i))).isTrue();
    assertThatThrownBy(() -> DevKeys.key(255)).hasMessageContaining("0..254");
    assertThatThrownBy(() -> DevKeys.key(-1)).hasMessageContaining("0..254");
  }

  @Test
  void aDevKeyFileDecryptsToTheDevKey(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("g3.json");
    assertThat(DevKeys.writeKeyFile(3, f, "pw".toCharArray())).isEqualTo(DevKeys.address(3));
    PrivateKey k = KeyFile.load(f, "pw".toCharArray());
    assertThat(k.toBytes()).isEqualTo(DevKeys.key(3).toBytes());
    assertThat(Files.getPosixFilePermissions(f)).hasSize(2); // owner read + write
    assertThatThrownBy(() -> DevKeys.writeKeyFile(3, f, "pw".toCharArray()))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }
}
