package dev.vigil.signing.keystore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.keystore.KeyFileException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.crypto.StreamCipher;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Encrypted key files in the Ethereum keystore v3 format (Web3 Secret Storage), readable and
 * writable by geth, web3j and ethers: scrypt (or, read only, PBKDF2-HMAC-SHA256), AES-128-CTR, and
 * MAC = keccak256(derivedKey[16..32] || ciphertext).
 */
public final class KeyFile {
  /** Key files are a few hundred bytes; anything far larger is not one. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  static final long MAX_PBKDF2_ITERATIONS = 1L << 24;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyFile() {}

  /**
   * Encrypts {@code key} under {@code password} into a new file at {@code path}, created with mode
   * 0600 in the same system call (never a window where others could read it), and synced to disk.
   *
   * @return the key's address, also written to the file's {@code address} field
   * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists: a key file is never
   *     overwritten
   */
  public static Address create(Path path, char[] password, PrivateKey key, KdfParams kdf)
      throws IOException {
    Secp256k1 secp = Secp256k1Backends.preferred();
    Address address = secp.address(key);
    byte[] salt = new byte[32];
    byte[] iv = new byte[16];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(iv);

    byte[] pw = utf8(password);
    byte[] dk = Scrypt.derive(pw, salt, kdf.n(), kdf.r(), kdf.p(), 32);
    byte[] plain = key.toBytes();
    byte[] ciphertext;
    try {
      ciphertext = aes128Ctr(dk, iv, plain);
    } finally {
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(pw, (byte) 0);
    }
    byte[] mac = mac(dk, ciphertext);
    Arrays.fill(dk, (byte) 0);

    ObjectNode root = JSON.createObjectNode();
    root.put("address", Hex.encode(address.toBytes()));
    ObjectNode crypto = root.putObject("crypto");
    crypto.put("cipher", "aes-128-ctr");
    crypto.put("ciphertext", Hex.encode(ciphertext));
    crypto.putObject("cipherparams").put("iv", Hex.encode(iv));
    crypto.put("kdf", "scrypt");
    ObjectNode kp = crypto.putObject("kdfparams");
    kp.put("dklen", 32);
    kp.put("n", kdf.n());
    kp.put("p", kdf.p());
    kp.put("r", kdf.r());
    kp.put("salt", Hex.encode(salt));
    crypto.put("mac", Hex.encode(mac));
    root.put("id", UUID.randomUUID().toString());
    root.put("version", 3);
    writeNew(path, JSON.writeValueAsBytes(root));
    return address;
  }

  /**
   * Decrypts the key in {@code path}. Refuses a file that group or others may read.
   *
   * @throws KeyFileException naming the problem: wrong password (or altered file), a malformed or
   *     missing field, an unsupported cipher/KDF, or loose permissions
   */
  public static PrivateKey load(Path path, char[] password) throws IOException {
    checkPermissions(path);
    JsonNode root = parse(path);
    Fields f = new Fields(path);

    JsonNode version = f.require(root, "version", "version");
    if (!version.isIntegralNumber() || version.asLong() != 3) {
      throw f.malformed("version", "must be 3 (keystore v3), got " + f.shortText(version));
    }
    JsonNode crypto =
        root.has("crypto") ? root.get("crypto") : root.get("Crypto"); // geth once wrote "Crypto"
    if (crypto == null) throw f.malformed("crypto", "is missing");
    if (!crypto.isObject()) throw f.malformed("crypto", "must be an object");

    String cipher = f.text(crypto, "cipher", "crypto.cipher");
    if (!cipher.equals("aes-128-ctr")) {
      throw f.unsupported(
          "crypto.cipher",
          f.shortText(crypto.get("cipher")) + " is not supported, expected aes-128-ctr");
    }
    byte[] iv =
        f.hex(
            f.object(crypto, "cipherparams", "crypto.cipherparams"),
            "iv",
            "crypto.cipherparams.iv",
            16);
    byte[] ciphertext = f.hex(crypto, "ciphertext", "crypto.ciphertext", 32);
    byte[] mac = f.hex(crypto, "mac", "crypto.mac", 32);
    String kdf = f.text(crypto, "kdf", "crypto.kdf");
    JsonNode kp = f.object(crypto, "kdfparams", "crypto.kdfparams");
    long dklen = f.integer(kp, "dklen", "crypto.kdfparams.dklen");
    if (dklen != 32) throw f.unsupported("crypto.kdfparams.dklen", "must be 32, got " + dklen);
    byte[] salt = f.hex(kp, "salt", "crypto.kdfparams.salt", -1);

    byte[] pw = utf8(password);
    byte[] dk;
    try {
      switch (kdf) {
        case "scrypt" -> {
          long n = f.integer(kp, "n", "crypto.kdfparams.n");
          long r = f.integer(kp, "r", "crypto.kdfparams.r");
          long p = f.integer(kp, "p", "crypto.kdfparams.p");
          String why = KdfParams.problem(n, r, p);
          if (why != null)
            throw f.unsupported(
                "crypto.kdfparams", "scrypt n=" + n + " r=" + r + " p=" + p + " " + why);
          dk = Scrypt.derive(pw, salt, (int) n, (int) r, (int) p, 32);
        }
        case "pbkdf2" -> {
          long c = f.integer(kp, "c", "crypto.kdfparams.c");
          if (c < 1 || c > MAX_PBKDF2_ITERATIONS) {
            throw f.unsupported(
                "crypto.kdfparams.c",
                "must be between 1 and " + MAX_PBKDF2_ITERATIONS + ", got " + c);
          }
          String prf = f.text(kp, "prf", "crypto.kdfparams.prf");
          if (!prf.equals("hmac-sha256")) {
            throw f.unsupported(
                "crypto.kdfparams.prf",
                f.shortText(kp.get("prf")) + " is not supported, expected hmac-sha256");
          }
          PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
          gen.init(pw, salt, (int) c);
          dk = ((KeyParameter) gen.generateDerivedParameters(256)).getKey();
        }
        default ->
            throw f.unsupported(
                "crypto.kdf",
                f.shortText(crypto.get("kdf")) + " is not supported, expected scrypt or pbkdf2");
      }
    } finally {
      Arrays.fill(pw, (byte) 0);
    }

    try {
      if (!MessageDigest.isEqual(mac(dk, ciphertext), mac)) {
        throw new KeyFileException(
            Reason.WRONG_PASSWORD, path, "wrong password or corrupted key file " + path);
      }
      byte[] plain = aes128Ctr(dk, iv, ciphertext);
      PrivateKey key;
      try {
        key = PrivateKey.fromBytes(plain);
      } catch (IllegalArgumentException outOfRange) {
        throw new KeyFileException(
            Reason.MALFORMED,
            path,
            "key file " + path + " decrypts to a value that is not a secp256k1 private key");
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
      checkAddress(path, root, key, f);
      return key;
    } finally {
      Arrays.fill(dk, (byte) 0);
    }
  }

  /** The address a key file declares, without decrypting it (null when it has no address field). */
  public static Address declaredAddress(Path path) throws IOException {
    JsonNode a = parse(path).get("address");
    if (a == null || a.isNull()) return null;
    return new Fields(path).address(a);
  }

  private static void checkAddress(Path path, JsonNode root, PrivateKey key, Fields f)
      throws KeyFileException {
    JsonNode a = root.get("address");
    if (a == null || a.isNull()) return;
    Address declared = f.address(a);
    Address actual = Secp256k1Backends.preferred().address(key);
    if (!declared.equals(actual)) {
      key.destroy();
      throw f.malformed(
          "address", "says " + declared + " but the encrypted key belongs to " + actual);
    }
  }

  private static void checkPermissions(Path path) throws KeyFileException, IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException notPosix) {
      return;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new java.nio.file.NoSuchFileException(path.toString(), null, "no key file there");
    }
    if (perms.contains(PosixFilePermission.GROUP_READ)
        || perms.contains(PosixFilePermission.OTHERS_READ)) {
      throw new KeyFileException(
          Reason.INSECURE_PERMISSIONS,
          path,
          "key file "
              + path
              + " is readable by group or others (mode "
              + PosixFilePermissions.toString(perms)
              + "); restrict it with: chmod 600 "
              + path);
    }
  }

  private static JsonNode parse(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new java.nio.file.NoSuchFileException(
          path.toString(), null, "no key file there (or not a regular file)");
    }
    long size = Files.size(path);
    if (size > MAX_FILE_BYTES) {
      throw new KeyFileException(
          Reason.MALFORMED,
          path,
          "key file "
              + path
              + " is "
              + size
              + " bytes; a keystore v3 file is well under "
              + MAX_FILE_BYTES);
    }
    byte[] bytes = Files.readAllBytes(path);
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the offending token, which could be a raw key: keep only the
      // position
      var loc = e.getLocation();
      throw new KeyFileException(
          Reason.MALFORMED,
          path,
          "key file "
              + path
              + " is not valid JSON"
              + (loc == null
                  ? ""
                  : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    if (root == null || !root.isObject()) {
      throw new KeyFileException(
          Reason.MALFORMED, path, "key file " + path + " is not a JSON object (keystore v3)");
    }
    return root;
  }

  private static void writeNew(Path path, byte[] content) throws IOException {
    Path abs = path.toAbsolutePath();
    boolean created = false;
    try (FileChannel ch =
        FileChannel.open(
            abs,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
      created = true;
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) ch.write(buf);
      ch.force(true);
    } catch (UnsupportedOperationException notPosix) {
      throw new IOException(
          "cannot create key file "
              + abs
              + " with owner-only permissions: the file system has no POSIX permissions");
    } catch (IOException | RuntimeException e) {
      if (created) Files.deleteIfExists(abs);
      throw e;
    }
    syncDirectory(abs.getParent());
  }

  /** Makes the new directory entry durable, so a crash right after keygen cannot lose the key. */
  private static void syncDirectory(Path dir) {
    if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // not every platform can open a directory; the file itself is already synced
    }
  }

  static byte[] mac(byte[] dk, byte[] ciphertext) {
    byte[] in = new byte[16 + ciphertext.length];
    System.arraycopy(dk, 16, in, 0, 16);
    System.arraycopy(ciphertext, 0, in, 16, ciphertext.length);
    return Keccak256.hash(in);
  }

  private static byte[] aes128Ctr(byte[] dk, byte[] iv, byte[] in) {
    StreamCipher c = SICBlockCipher.newInstance(AESEngine.newInstance());
    c.init(
        true,
        new ParametersWithIV(new KeyParameter(dk, 0, 16), iv)); // CTR: same operation both ways
    byte[] out = new byte[in.length];
    c.processBytes(in, 0, in.length, out, 0);
    return out;
  }

  /** UTF-8 bytes of the password (what geth and web3j hash), without making a String of it. */
  static byte[] utf8(char[] password) {
    if (password == null) throw new IllegalArgumentException("password is null");
    ByteBuffer bb;
    try {
      bb = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(password));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("password is not valid Unicode (unpaired surrogate)");
    }
    byte[] out = new byte[bb.remaining()];
    bb.get(out);
    if (bb.hasArray()) Arrays.fill(bb.array(), (byte) 0);
    return out;
  }

  /** Field access that names the field in every error. */
  private record Fields(Path path) {
    KeyFileException malformed(String field, String problem) {
      return new KeyFileException(
          Reason.MALFORMED, path, "key file " + path + ": field " + field + " " + problem);
    }

    KeyFileException unsupported(String field, String problem) {
      return new KeyFileException(
          Reason.UNSUPPORTED, path, "key file " + path + ": field " + field + " " + problem);
    }

    JsonNode require(JsonNode parent, String name, String field) throws KeyFileException {
      JsonNode n = parent.get(name);
      if (n == null || n.isNull()) throw malformed(field, "is missing");
      return n;
    }

    JsonNode object(JsonNode parent, String name, String field) throws KeyFileException {
      JsonNode n = require(parent, name, field);
      if (!n.isObject()) throw malformed(field, "must be an object");
      return n;
    }

    String text(JsonNode parent, String name, String field) throws KeyFileException {
      JsonNode n = require(parent, name, field);
      if (!n.isTextual()) throw malformed(field, "must be a string");
      return n.asText();
    }

    long integer(JsonNode parent, String name, String field) throws KeyFileException {
      JsonNode n = require(parent, name, field);
      if (!n.isIntegralNumber() || !n.canConvertToLong())
        throw malformed(field, "must be an integer");
      return n.asLong();
    }

    /** Hex of exactly {@code length} bytes, or any non-empty length when {@code length} < 0. */
    byte[] hex(JsonNode parent, String name, String field, int length) throws KeyFileException {
      String s = text(parent, name, field);
      byte[] b;
      try {
        b = Hex.decode(s);
      } catch (IllegalArgumentException e) {
        throw malformed(field, "is not hex");
      }
      if (length >= 0 && b.length != length)
        throw malformed(field, "must be " + length + " bytes, got " + b.length);
      if (b.length == 0) throw malformed(field, "is empty");
      return b;
    }

    Address address(JsonNode a) throws KeyFileException {
      if (!a.isTextual()) throw malformed("address", "must be a string");
      try {
        return Address.fromHex(a.asText());
      } catch (IllegalArgumentException e) {
        throw malformed("address", "is not a 20-byte hex address");
      }
    }

    /**
     * A short, harmless rendering of an enumerated value for error messages (never long strings).
     */
    String shortText(JsonNode n) {
      if (n == null) return "(missing)";
      String s = n.isTextual() ? n.asText() : n.toString();
      return s.length() <= 24 && s.matches("[A-Za-z0-9_.-]*")
          ? "'" + s + "'"
          : "(a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value)";
    }
  }
}
