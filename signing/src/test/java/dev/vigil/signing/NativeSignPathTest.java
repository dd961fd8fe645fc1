package dev.vigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.signing.NativeSecp256k1.SignPath;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Both ways the native backend can sign, on the real library: recoverable signing through JNA (the
 * default) and JNI signing plus a recovery (when JNA cannot load). Each must give Bouncy Castle's
 * bytes.
 */
class NativeSignPathTest {
  private static final long SEED = 0x5EED_0002L;
  private static final Secp256k1 BC = Secp256k1Backends.bouncyCastle();

  @Test
  void theProcessBackendSignsThroughRecoverableSigningAndSaysSo() {
    NativeSecp256k1 nat = (NativeSecp256k1) Secp256k1Backends.nativeLibsecp256k1();
    assertThat(nat.signPath()).isEqualTo(SignPath.RECOVERABLE);
    assertThat(Secp256k1Backends.nativeSigningPath())
        .contains("secp256k1_ecdsa_sign_recoverable via JNA");
  }

  @Test
  void recoverableSigningGivesBouncyCastlesBytesAndRecoversTheSigner() {
    NativeSecp256k1 nat = NativeSecp256k1.load(BC, true);
    assertThat(nat.signPath()).isEqualTo(SignPath.RECOVERABLE);
    assertSameAsBouncyCastle(nat, 3000, SEED);
  }

  @Test
  void signThenRecoverStillWorksWhenForced() {
    NativeSecp256k1 nat = NativeSecp256k1.load(BC, false);
    assertThat(nat.signPath()).isEqualTo(SignPath.SIGN_THEN_RECOVER);
    assertSameAsBouncyCastle(nat, 500, SEED + 1);
  }

  private static void assertSameAsBouncyCastle(NativeSecp256k1 nat, int cases, long seed) {
    Random rnd = new Random(seed);
    for (int i = 0; i < cases; i++) {
      byte[] keyBytes = new byte[32];
      byte[] digest = new byte[32];
      rnd.nextBytes(keyBytes);
      rnd.nextBytes(digest);
      String where = "case " + i + " (seed " + seed + ")";
      // separate key objects: the public-key cache of one must not feed the other
      PrivateKey kn = PrivateKey.fromBytes(keyBytes);
      PrivateKey kb = PrivateKey.fromBytes(keyBytes);
      Signature sn = nat.sign(digest, kn);
      assertThat(sn.toBytes()).as(where).isEqualTo(BC.sign(digest, kb).toBytes());
      byte[] signerKey = BC.publicKey(kb);
      assertThat(BC.recoverPublicKey(digest, sn)).as(where).isEqualTo(signerKey);
      assertThat(nat.recoverPublicKey(digest, sn)).as(where).isEqualTo(signerKey);
    }
  }

  @Test
  void recoverableSigningFromManyThreadsGivesTheSingleThreadedResults() throws Exception {
    NativeSecp256k1 nat = (NativeSecp256k1) Secp256k1Backends.nativeLibsecp256k1();
    int threads = 8;
    int perThread = 400;
    Random rnd = new Random(SEED + 2);
    PrivateKey[] keys = new PrivateKey[threads];
    byte[][][] digests = new byte[threads][perThread][32];
    Signature[][] expected = new Signature[threads][perThread];
    for (int t = 0; t < threads; t++) {
      byte[] k = new byte[32];
      rnd.nextBytes(k);
      keys[t] = PrivateKey.fromBytes(k);
      for (int i = 0; i < perThread; i++) {
        rnd.nextBytes(digests[t][i]);
        expected[t][i] = nat.sign(digests[t][i], keys[t]); // single-threaded
        assertThat(expected[t][i]).isEqualTo(BC.sign(digests[t][i], keys[t]));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Signature[]>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int tt = t;
        // every thread signs its own key's digests, all at once, on the one shared context
        futures.add(
            pool.submit(
                () -> {
                  Signature[] got = new Signature[perThread];
                  for (int i = 0; i < perThread; i++) got[i] = nat.sign(digests[tt][i], keys[tt]);
                  return got;
                }));
      }
      for (int t = 0; t < threads; t++) {
        assertThat(futures.get(t).get(120, TimeUnit.SECONDS))
            .as("thread " + t)
            .containsExactly(expected[t]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loadingLogsTheSignPathOnceAtInfo() {
    Logger log = (Logger) LoggerFactory.getLogger(NativeSecp256k1.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    log.addAppender(events);
    try {
      NativeSecp256k1.load(BC, true);
    } finally {
      log.detachAppender(events);
    }
    assertThat(events.list).hasSize(1);
    assertThat(events.list.get(0).getLevel()).isEqualTo(Level.INFO);
    assertThat(events.list.get(0).getFormattedMessage())
        .isEqualTo("native libsecp256k1 signs with secp256k1_ecdsa_sign_recoverable via JNA");
  }

  @ParameterizedTest(name = "recovery id {0}")
  @ValueSource(ints = {2, 3})
  void anOverflowedNoncePointLeavesTheSignatureToBouncyCastle(int recId) {
    // recovery id 2/3 means x(kG) >= n, where Bouncy Castle moves on to the next nonce; too rare to
    // reach with real keys (~2^-128), so the rule is checked on a made-up 65-byte result
    PrivateKey k = PrivateKey.fromBytes(Keccak256.hash(new byte[] {7}));
    byte[] digest = Keccak256.hash(new byte[] {8});
    byte[] compact = new byte[65];
    compact[31] = 1;
    compact[63] = 1;
    compact[64] = (byte) recId;
    Signature reference = BC.sign(digest, k);
    assertThat(NativeSecp256k1.fromRecoverable(compact, () -> BC.sign(digest, k)))
        .isEqualTo(reference);
  }

  @ParameterizedTest(name = "recovery id {0}")
  @ValueSource(ints = {0, 1})
  void recoveryIdsZeroAndOneAreTakenAsTheyCome(int recId) {
    byte[] compact = new byte[65];
    compact[31] = 5;
    compact[63] = 9;
    compact[64] = (byte) recId;
    Signature s =
        NativeSecp256k1.fromRecoverable(
            compact,
            () -> {
              throw new AssertionError("reference was asked");
            });
    assertThat(s).isEqualTo(Signature.of(BigInteger.valueOf(5), BigInteger.valueOf(9), recId));
  }

  @Test
  void anImpossibleRecoveryIdIsAnError() {
    byte[] compact = new byte[65];
    compact[64] = 4;
    assertThatThrownBy(() -> NativeSecp256k1.fromRecoverable(compact, () -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("recovery id 4");
  }

  @Test
  void theLibraryCopyIsOwnerOnlyAndByteForByteTheBundledOne(@TempDir Path dir) throws Exception {
    String resource = JnaRecoverableSigner.resourcePath();
    Path copy = JnaRecoverableSigner.extract(resource, dir);
    assertThat(Files.getPosixFilePermissions(copy))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      assertThat(Files.readAllBytes(copy)).isEqualTo(in.readAllBytes());
    }
  }

  @Test
  void aMissingResourceIsNamedAndLeavesNoFile(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> JnaRecoverableSigner.extract("no/such/libsecp256k1.so", dir))
        .hasMessageContaining("resource no/such/libsecp256k1.so is not on the classpath");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
