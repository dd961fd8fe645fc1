package dev.vigil.signing.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import dev.vigil.signing.keystore.KeyFileException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;

class KeyFileTest {
  /** Cheap scrypt so the suite stays fast; the format is the same as with the standard cost. */
  static final KdfParams FAST = new KdfParams(1 << 10, 8, 1);

  static final String KEY_HEX = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
  static final char[] PASSWORD = "correct horse battery staple".toCharArray();
  static final ObjectMapper JSON = new ObjectMapper();

  /** Web3 Secret Storage Definition test vectors: password "testpassword". */
  static final String SPEC_SCRYPT =
      """
      {"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"83dbcc02d8ccb40e466191a123791e0e"},
       "ciphertext":"d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c","kdf":"scrypt",
       "kdfparams":{"dklen":32,"n":262144,"r":1,"p":8,"salt":"ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
       "mac":"2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"},
       "id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}""";

  static final String SPEC_PBKDF2 =
      """
      {"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},
       "ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2",
       "kdfparams":{"c":262144,"dklen":32,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
       "mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},
       "id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}""";
  static final String SPEC_KEY = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
  static final Address SPEC_ADDRESS = Address.fromHex("0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b");

  @TempDir Path dir;

  static PrivateKey key() {
    return PrivateKey.fromBytes(Hex.decode(KEY_HEX));
  }

  static Path writeOwnerOnly(Path p, String content) throws IOException {
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scrypt", "pbkdf2"})
  void decryptsTheWeb3SecretStorageSpecVectors(String kdf) throws Exception {
    Path p =
        writeOwnerOnly(
            dir.resolve(kdf + ".json"), kdf.equals("scrypt") ? SPEC_SCRYPT : SPEC_PBKDF2);
    PrivateKey k = KeyFile.load(p, "testpassword".toCharArray());
    assertThat(Hex.encode(k.toBytes())).isEqualTo(SPEC_KEY);
    assertThat(Secp256k1Backends.preferred().address(k)).isEqualTo(SPEC_ADDRESS);
  }

  @Test
  void createdFileIsOwnerOnlyKeystoreV3AndDecryptsToTheSameKey() throws Exception {
    Path p = dir.resolve("guardian.json");
    Address a = KeyFile.create(p, PASSWORD, key(), FAST);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
        .isEqualTo("rw-------");
    JsonNode json = JSON.readTree(p.toFile());
    assertThat(json.get("version").asInt()).isEqualTo(3);
    assertThat(json.at("/crypto/cipher").asText()).isEqualTo("aes-128-ctr");
    assertThat(json.at("/crypto/kdf").asText()).isEqualTo("scrypt");
    assertThat(json.at("/crypto/kdfparams/n").asInt()).isEqualTo(1024);
    assertThat(json.at("/crypto/kdfparams/r").asInt()).isEqualTo(8);
    assertThat(json.get("address").asText()).isEqualTo(Hex.encode(a.toBytes()));
    assertThat(Files.readString(p)).doesNotContain(KEY_HEX);
    assertThat(KeyFile.declaredAddress(p)).isEqualTo(a);

    assertThat(Hex.encode(KeyFile.load(p, PASSWORD).toBytes())).isEqualTo(KEY_HEX);
  }

  @Test
  void web3jReadsOurFilesAndWeReadWeb3jFiles() throws Exception {
    Path ours = dir.resolve("ours.json");
    KeyFile.create(ours, PASSWORD, key(), FAST);
    WalletFile parsed = JSON.readValue(ours.toFile(), WalletFile.class);
    ECKeyPair byWeb3j = Wallet.decrypt(new String(PASSWORD), parsed);
    assertThat(byWeb3j.getPrivateKey()).isEqualTo(new BigInteger(KEY_HEX, 16));

    WalletFile theirs =
        Wallet.create("web3j pw", ECKeyPair.create(new BigInteger(KEY_HEX, 16)), 1 << 10, 1);
    Path p = writeOwnerOnly(dir.resolve("theirs.json"), JSON.writeValueAsString(theirs));
    assertThat(Hex.encode(KeyFile.load(p, "web3j pw".toCharArray()).toBytes())).isEqualTo(KEY_HEX);
  }

  @Test
  void nonAsciiPasswordsAreUtf8LikeGethAndWeb3j() throws Exception {
    String pw = "pässwörd ✓ 鍵";
    WalletFile theirs =
        Wallet.create(pw, ECKeyPair.create(new BigInteger(KEY_HEX, 16)), 1 << 10, 1);
    Path p = writeOwnerOnly(dir.resolve("utf8.json"), JSON.writeValueAsString(theirs));
    assertThat(Hex.encode(KeyFile.load(p, pw.toCharArray()).toBytes())).isEqualTo(KEY_HEX);
  }

  @Test
  void wrongPasswordIsReportedAsSuchWithThePathAndNoSecrets() throws Exception {
    Path p = dir.resolve("k.json");
    KeyFile.create(p, PASSWORD, key(), FAST);
    assertThatThrownBy(() -> KeyFile.load(p, "wrong".toCharArray()))
        .isInstanceOfSatisfying(
            KeyFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD))
        .hasMessage("wrong password or corrupted key file " + p)
        .satisfies(e -> assertNoSecrets(e.toString()));
  }

  @Test
  void alteredCiphertextFailsTheMac() throws Exception {
    Path p = dir.resolve("k.json");
    KeyFile.create(p, PASSWORD, key(), FAST);
    ObjectNode json = (ObjectNode) JSON.readTree(p.toFile());
    String ct = json.at("/crypto/ciphertext").asText();
    ((ObjectNode) json.get("crypto"))
        .put("ciphertext", (ct.charAt(0) == '0' ? "1" : "0") + ct.substring(1));
    Path altered = writeOwnerOnly(dir.resolve("altered.json"), json.toString());
    assertThatThrownBy(() -> KeyFile.load(altered, PASSWORD))
        .isInstanceOfSatisfying(
            KeyFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));
  }

  @Test
  void neverOverwritesAnExistingFile() throws Exception {
    Path p = dir.resolve("k.json");
    KeyFile.create(p, PASSWORD, key(), FAST);
    String before = Files.readString(p);
    PrivateKey other = PrivateKey.fromBytes(Keccak256.hash(new byte[] {9}));
    assertThatThrownBy(() -> KeyFile.create(p, PASSWORD, other, FAST))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(p)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "r--r--r--"})
  void refusesKeyFilesOthersCanRead(String mode) throws Exception {
    Path p = dir.resolve("k.json");
    KeyFile.create(p, PASSWORD, key(), FAST);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    assertThatThrownBy(() -> KeyFile.load(p, PASSWORD))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INSECURE_PERMISSIONS))
        .hasMessageContaining("readable by group or others (mode " + mode + ")")
        .hasMessageContaining("chmod 600 " + p);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rw-------", "r--------"})
  void acceptsOwnerOnlyModes(String mode) throws Exception {
    Path p = dir.resolve("k.json");
    KeyFile.create(p, PASSWORD, key(), FAST);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    assertThat(Hex.encode(KeyFile.load(p, PASSWORD).toBytes())).isEqualTo(KEY_HEX);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        row("no crypto", Reason.MALFORMED, "field crypto is missing", j -> j.remove("crypto")),
        row("version 2", Reason.MALFORMED, "field version must be 3", j -> j.put("version", 2)),
        row(
            "version as text",
            Reason.MALFORMED,
            "field version must be 3",
            j -> j.put("version", "3")),
        row(
            "no salt",
            Reason.MALFORMED,
            "field crypto.kdfparams.salt is missing",
            j -> kdfparams(j).remove("salt")),
        row(
            "iv not hex",
            Reason.MALFORMED,
            "field crypto.cipherparams.iv is not hex",
            j -> ((ObjectNode) j.at("/crypto/cipherparams")).put("iv", "zz")),
        row(
            "iv too short",
            Reason.MALFORMED,
            "field crypto.cipherparams.iv must be 16 bytes, got 8",
            j -> ((ObjectNode) j.at("/crypto/cipherparams")).put("iv", "00".repeat(8))),
        row(
            "ciphertext too short",
            Reason.MALFORMED,
            "field crypto.ciphertext must be 32 bytes, got 31",
            j -> crypto(j).put("ciphertext", "00".repeat(31))),
        row(
            "no mac",
            Reason.MALFORMED,
            "field crypto.mac is missing",
            j -> crypto(j).remove("mac")),
        row(
            "n as text",
            Reason.MALFORMED,
            "field crypto.kdfparams.n must be an integer",
            j -> kdfparams(j).put("n", "1024")),
        row(
            "cipher aes-128-cbc",
            Reason.UNSUPPORTED,
            "field crypto.cipher 'aes-128-cbc' is not supported",
            j -> crypto(j).put("cipher", "aes-128-cbc")),
        row(
            "kdf argon2",
            Reason.UNSUPPORTED,
            "field crypto.kdf 'argon2id' is not supported",
            j -> crypto(j).put("kdf", "argon2id")),
        row(
            "n not a power of two",
            Reason.UNSUPPORTED,
            "n must be a power of two",
            j -> kdfparams(j).put("n", 1000)),
        row(
            "n too costly",
            Reason.UNSUPPORTED,
            "more than 1 GiB",
            j -> kdfparams(j).put("n", 1 << 30)),
        row(
            "dklen 16",
            Reason.UNSUPPORTED,
            "field crypto.kdfparams.dklen must be 32, got 16",
            j -> kdfparams(j).put("dklen", 16)),
        row(
            "address of another key",
            Reason.MALFORMED,
            "field address says 0x",
            j -> j.put("address", "1111111111111111111111111111111111111111")),
        row(
            "address not hex",
            Reason.MALFORMED,
            "field address is not a 20-byte hex address",
            j -> j.put("address", "nope")));
  }

  static Arguments row(String name, Reason reason, String message, Consumer<ObjectNode> edit) {
    return Arguments.of(name, reason, message, edit);
  }

  static ObjectNode crypto(ObjectNode j) {
    return (ObjectNode) j.get("crypto");
  }

  static ObjectNode kdfparams(ObjectNode j) {
    return (ObjectNode) j.at("/crypto/kdfparams");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedFilesFailNamingTheField(
      String name, Reason reason, String message, Consumer<ObjectNode> edit) throws Exception {
    Path good = dir.resolve("good.json");
    KeyFile.create(good, PASSWORD, key(), FAST);
    ObjectNode json = (ObjectNode) JSON.readTree(good.toFile());
    edit.accept(json);
    Path p = writeOwnerOnly(dir.resolve("bad.json"), json.toString());
    assertThatThrownBy(() -> KeyFile.load(p, PASSWORD))
        .isInstanceOfSatisfying(
            KeyFileException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageStartingWith("key file " + p)
        .hasMessageContaining(message)
        .satisfies(e -> assertNoSecrets(e.getMessage()));
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(
      strings = {
        "not json at all",
        "[1,2,3]",
        "{\"version\":3,\"version\":3}",
        "",
        KEY_HEX,
        "abcd" + KEY_HEX,
        "0x" + KEY_HEX
      })
  void filesThatAreNotKeystoreJsonFailWithoutEchoingTheirContent(String content) throws Exception {
    Path p = writeOwnerOnly(dir.resolve("x.json"), content);
    assertThatThrownBy(() -> KeyFile.load(p, PASSWORD))
        .isInstanceOfSatisfying(
            KeyFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageStartingWith("key file " + p + " is not")
        .satisfies(e -> assertNoSecrets(e.getMessage()));
  }

  @Test
  void signerFromAKeyFileSignsAsTheKeyAndPrintsNoSecrets() throws Exception {
    Path p = dir.resolve("k.json");
    Address a = KeyFile.create(p, PASSWORD, key(), FAST);
    KeyFileSigner signer = KeyFileSigner.load(p, PASSWORD);
    assertThat(signer.address()).isEqualTo(a);
    byte[] digest = Keccak256.hash("attestation".getBytes());
    Signature sig = signer.sign(digest);
    assertThat(sig).isEqualTo(Secp256k1Backends.bouncyCastle().sign(digest, key()));
    assertThat(Secp256k1Backends.bouncyCastle().recoverAddress(digest, sig)).isEqualTo(a);
    assertThat(signer.toString()).contains(a.toString()).contains(p.toString());
    assertNoSecrets(signer.toString());
    assertNoSecrets(key().toString());

    signer.destroy();
    assertThatThrownBy(() -> signer.sign(digest))
        .hasMessageContaining("destroyed")
        .satisfies(e -> assertNoSecrets(e.getMessage()));
  }

  @ParameterizedTest(name = "n={0} r={1} p={2}")
  @org.junit.jupiter.params.provider.CsvSource({
    "1000, 8, 1",
    "1, 8, 1",
    "1024, 0, 1",
    "1024, 8, 0",
    "1073741824, 8, 1",
    "262144, 8, 64"
  })
  void kdfParamsOutsideTheAcceptedRangeAreRejected(int n, int r, int p) {
    assertThatThrownBy(() -> new KdfParams(n, r, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n=" + n);
  }

  @Test
  void standardParamsAreGethsDefault() {
    assertThat(KdfParams.STANDARD).isEqualTo(new KdfParams(262144, 8, 1));
  }

  private static void assertNoSecrets(String text) {
    assertThat(text)
        .doesNotContainIgnoringCase(KEY_HEX)
        .doesNotContain(new String(PASSWORD))
        .doesNotContain("testpassword");
  }
}
