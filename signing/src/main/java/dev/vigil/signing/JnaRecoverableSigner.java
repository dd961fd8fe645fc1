package dev.vigil.signing;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * libsecp256k1's recoverable ECDSA signing, called through JNA in the .so that secp256k1-kmp
 * bundles. secp256k1-kmp's JNI layer only wraps plain {@code secp256k1_ecdsa_sign}, which leaves
 * the recovery id to be found by a public-key recovery that costs about as much as the signature;
 * the library itself exports {@code secp256k1_ecdsa_sign_recoverable}, which hands the recovery id
 * out for free.
 *
 * <p>The .so is extracted a second time, to a private file, and opened by JNA as an independent
 * copy next to the JNI one. That is safe: libsecp256k1 keeps no global state besides contexts, and
 * each copy only ever sees its own contexts (see {@link #RTLD_NOW_LOCAL}).
 */
final class JnaRecoverableSigner {
  /**
   * The directory that secp256k1-kmp's own loader honours; one knob for both copies (e.g. noexec
   * /tmp).
   */
  static final String TMPDIR_PROPERTY = "fr.acinq.secp256k1.tmpdir";

  /**
   * {@code SECP256K1_CONTEXT_NONE} (= {@code SECP256K1_FLAGS_TYPE_CONTEXT}, 1): since libsecp256k1
   * 0.2 every context can sign and verify, and the flag only has to carry the context type bit.
   * Newer headers call the same context {@code SECP256K1_CONTEXT_DEFAULT} (0x201, the deprecated
   * SIGN bit included); context creation only requires the type bit, so 1 is valid in both.
   */
  private static final int SECP256K1_CONTEXT_NONE = 1;

  /**
   * dlopen flags: RTLD_NOW (2) so a missing symbol fails here and not on first use, and RTLD_LOCAL
   * (0) rather than JNA's default RTLD_GLOBAL. The JNI copy calls its own exported functions
   * through the PLT with lazy binding; were our copy global, those calls could bind to our copy's
   * functions and mix the two libraries' contexts.
   */
  private static final int RTLD_NOW_LOCAL = 2;

  // Per-thread native scratch: the key is written into native memory we own and wipe, instead of
  // handing a Java array to JNA, whose copy of it would be freed without being cleared.
  private static final int KEY = 0;
  private static final int MSG = 32;
  private static final int SIG = 64; // secp256k1_ecdsa_recoverable_signature: 65 opaque bytes
  private static final int OUT = 136; // r || s, 64 bytes
  private static final int RECID = 200; // int
  private static final int SCRATCH_BYTES = 208;

  /**
   * The one context, created and randomized once, never destroyed (it lives as long as the
   * process). libsecp256k1's secp256k1.h: "A constructed context can safely be used from multiple
   * threads simultaneously, but API calls that take a non-const pointer to a context need exclusive
   * access to it. In particular this is the case for secp256k1_context_destroy [...] and
   * secp256k1_context_randomize. Regarding randomization, either do it once at creation time (in
   * which case you do not need any locking for the other calls), or use a read-write lock." Signing
   * and serializing take a const context, so no lock is needed.
   */
  private final Pointer ctx;

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private JnaRecoverableSigner(Pointer ctx) {
    this.ctx = ctx;
  }

  /** The direct-mapped functions (JNA binds them to the .so in {@link #load()}). */
  private static final class Functions {
    static native Pointer secp256k1_context_create(int flags);

    static native int secp256k1_context_randomize(Pointer ctx, Pointer seed32);

    static native void secp256k1_context_destroy(Pointer ctx);

    static native int secp256k1_ecdsa_sign_recoverable(
        Pointer ctx, Pointer sig, Pointer msg32, Pointer seckey, Pointer noncefp, Pointer ndata);

    static native int secp256k1_ecdsa_recoverable_signature_serialize_compact(
        Pointer ctx, Pointer output64, Pointer recid, Pointer sig);
  }

  private static final class Scratch {
    final Memory memory = new Memory(SCRATCH_BYTES);
    final Pointer key = memory.share(KEY, 32);
    final Pointer msg = memory.share(MSG, 32);
    final Pointer sig = memory.share(SIG, 65);
    final Pointer out = memory.share(OUT, 64);
    final Pointer recid = memory.share(RECID, 4);
  }

  /** Why the JNA path could not load; the cause is the original failure. */
  static final class UnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    UnavailableException(Throwable cause) {
      super(
          "recoverable signing through JNA is unavailable: " + Secp256k1Backends.describe(cause),
          cause);
    }
  }

  /**
   * Loads once per process; later calls return the same signer.
   *
   * @throws UnavailableException naming why it could not load (the same reason every time)
   */
  static JnaRecoverableSigner shared() {
    if (Holder.SIGNER == null) throw new UnavailableException(Holder.FAILURE);
    return Holder.SIGNER;
  }

  private static final class Holder {
    static final JnaRecoverableSigner SIGNER;
    static final Throwable FAILURE;

    static {
      JnaRecoverableSigner signer = null;
      Throwable failure = null;
      try {
        signer = load();
      } catch (
          Throwable
              t) { // UnsatisfiedLinkError, NoClassDefFoundError from JNA: all mean "not available"
        if (t instanceof VirtualMachineError vme) throw vme;
        failure = t;
      }
      SIGNER = signer;
      FAILURE = failure;
    }
  }

  private static JnaRecoverableSigner load() throws IOException {
    Path dir = Path.of(System.getProperty(TMPDIR_PROPERTY, System.getProperty("java.io.tmpdir")));
    Path file = extract(resourcePath(), dir);
    try {
      NativeLibrary lib =
          NativeLibrary.getInstance(
              file.toAbsolutePath().toString(), Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW_LOCAL));
      Native.register(Functions.class, lib);
    } finally {
      // The mapping outlives the file; unlinking now leaves nothing behind even if the JVM dies.
      Files.deleteIfExists(file);
    }

    Pointer ctx = Functions.secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (ctx == null) throw new IllegalStateException("secp256k1_context_create returned NULL");
    // Blinding against side channels: randomize once, here, before any other thread can see ctx.
    byte[] seed = new byte[32];
    try (Memory seedMemory = new Memory(32)) {
      new SecureRandom().nextBytes(seed);
      seedMemory.write(0, seed, 0, 32);
      int ok = Functions.secp256k1_context_randomize(ctx, seedMemory);
      seedMemory.clear(32);
      if (ok != 1) {
        Functions.secp256k1_context_destroy(ctx);
        throw new IllegalStateException("secp256k1_context_randomize failed");
      }
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
    return new JnaRecoverableSigner(ctx);
  }

  /** Copies the resource to a new file in {@code dir} that only its owner can read or write. */
  static Path extract(String resource, Path dir) throws IOException {
    Path file =
        Files.createTempFile(
            dir,
            "vigil-secp256k1-",
            ".so",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    file.toFile().deleteOnExit(); // in case loading never gets to unlink it
    try (InputStream in =
        JnaRecoverableSigner.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource "
                + resource
                + " is not on the classpath"
                + " (it comes with fr.acinq.secp256k1:secp256k1-kmp-jni-jvm-linux)");
      }
      // into the file just created: Files.copy(REPLACE_EXISTING) would recreate it with umask
      // permissions
      try (OutputStream out =
          Files.newOutputStream(
              file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        in.transferTo(out);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return file;
  }

  /** Where secp256k1-kmp-jni-jvm-linux keeps the .so for this machine. */
  static String resourcePath() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux")) {
      throw new IllegalStateException(
          "only the Linux libsecp256k1 is bundled, this is " + System.getProperty("os.name"));
    }
    String arch =
        switch (System.getProperty("os.arch", "")) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          default ->
              throw new IllegalStateException(
                  "no bundled libsecp256k1 for CPU architecture " + System.getProperty("os.arch"));
        };
    return "fr/acinq/secp256k1/jni/native/linux-" + arch + "/libsecp256k1-jni.so";
  }

  /**
   * Signs with RFC 6979 nonces (NULL nonce function = libsecp256k1's default, no extra data).
   *
   * @param seckey32 a valid secp256k1 private key (in range; {@link PrivateKey} guarantees it);
   *     this method does not keep or wipe the caller's array, only its own native copy
   * @return 65 bytes: r (32) || s (32, always low-S) || recovery id (0..3, consistent with that s)
   */
  byte[] sign(byte[] digest32, byte[] seckey32) {
    Scratch s = scratch.get();
    try {
      s.key.write(0, seckey32, 0, 32);
      s.msg.write(0, digest32, 0, 32);
      if (Functions.secp256k1_ecdsa_sign_recoverable(ctx, s.sig, s.msg, s.key, null, null) != 1) {
        // only for an invalid key or a failing nonce function; neither can happen with our inputs
        throw new IllegalStateException("secp256k1_ecdsa_sign_recoverable refused to sign");
      }
    } finally {
      s.key.clear(32);
    }
    Functions.secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, s.out, s.recid, s.sig);
    byte[] result = new byte[65];
    s.out.read(0, result, 0, 64);
    result[64] = (byte) s.recid.getInt(0);
    return result;
  }
}
