package dev.vigil.signing;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a secp256k1 backend: native libsecp256k1 when it loads, else Bouncy Castle (same bytes,
 * slower). The system property {@value #PROPERTY} = {@code native} | {@code bouncycastle} forces
 * one.
 */
public final class Secp256k1Backends {
  /** System property that forces a backend: {@code native} or {@code bouncycastle}. */
  public static final String PROPERTY = "vigil.secp256k1";

  public static final String NATIVE = "native";
  public static final String BOUNCY_CASTLE_NAME = "bouncycastle";

  private static final Logger LOG = LoggerFactory.getLogger(Secp256k1Backends.class);
  private static final Secp256k1 BOUNCY_CASTLE = new BouncyCastleSecp256k1();
  private static final Chooser CHOOSER = new Chooser(() -> NativeHolder.LOAD, LOG);

  private Secp256k1Backends() {}

  public static Secp256k1 bouncyCastle() {
    return BOUNCY_CASTLE;
  }

  /**
   * The libsecp256k1 backend.
   *
   * @throws IllegalStateException naming why the native library could not load
   */
  public static Secp256k1 nativeLibsecp256k1() {
    NativeLoad load = NativeHolder.LOAD;
    if (load.backend() == null) {
      throw new IllegalStateException("native libsecp256k1 could not load: " + load.failure());
    }
    return load.backend();
  }

  public static boolean isNativeAvailable() {
    return NativeHolder.LOAD.backend() != null;
  }

  /**
   * How the native backend makes signatures (recoverable signing through JNA, or JNI signing plus a
   * recovery to find v), or empty when the native library could not load. For benchmarks and logs.
   */
  public static Optional<String> nativeSigningPath() {
    return NativeHolder.LOAD.backend() instanceof NativeSecp256k1 n
        ? Optional.of(n.signPath().description)
        : Optional.empty();
  }

  /** Why the native library could not load, or empty when it did. */
  public static Optional<String> nativeLoadFailure() {
    return Optional.ofNullable(NativeHolder.LOAD.failure());
  }

  /**
   * The backend called {@code name} ({@code native} or {@code bouncycastle}, case-insensitive).
   *
   * @throws IllegalArgumentException for an unknown name
   * @throws IllegalStateException when {@code native} is asked for and cannot load
   */
  public static Secp256k1 byName(String name) {
    return CHOOSER.byName(name, "backend name");
  }

  /**
   * The backend for this process: the one forced by {@value #PROPERTY} if set, else native when it
   * loads, else Bouncy Castle with one WARN log saying why.
   */
  public static Secp256k1 preferred() {
    return CHOOSER.preferred(System.getProperty(PROPERTY));
  }

  record NativeLoad(Secp256k1 backend, String failure) {}

  /**
   * Selection rules, apart from the process-wide state so they can be tested with a failed load.
   */
  static final class Chooser {
    private final Supplier<NativeLoad> nativeLoad;
    private final Logger log;
    private final AtomicBoolean warned = new AtomicBoolean();

    Chooser(Supplier<NativeLoad> nativeLoad, Logger log) {
      this.nativeLoad = nativeLoad;
      this.log = log;
    }

    Secp256k1 preferred(String forced) {
      if (forced != null && !forced.isBlank()) return byName(forced, "system property " + PROPERTY);
      NativeLoad load = nativeLoad.get();
      if (load.backend() != null) return load.backend();
      if (warned.compareAndSet(false, true)) {
        log.warn(
            "native libsecp256k1 could not load ({}); using the Bouncy Castle backend instead: identical"
                + " signatures, but signature recovery is ~5x and signing ~2x slower. The library is extracted to"
                + " java.io.tmpdir (-Dfr.acinq.secp256k1.tmpdir=DIR picks another, e.g. when /tmp is noexec);"
                + " -D{}={} chooses Bouncy Castle explicitly without this warning.",
            load.failure(),
            PROPERTY,
            BOUNCY_CASTLE_NAME);
      }
      return BOUNCY_CASTLE;
    }

    Secp256k1 byName(String name, String what) {
      String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
      switch (n) {
        case BOUNCY_CASTLE_NAME:
          return BOUNCY_CASTLE;
        case NATIVE:
          {
            NativeLoad load = nativeLoad.get();
            if (load.backend() == null) {
              throw new IllegalStateException(
                  what
                      + " asks for the native secp256k1 backend, but native libsecp256k1 could not load: "
                      + load.failure());
            }
            return load.backend();
          }
        default:
          throw new IllegalArgumentException(
              "unknown secp256k1 backend '"
                  + name
                  + "' in "
                  + what
                  + ": expected "
                  + NATIVE
                  + " or "
                  + BOUNCY_CASTLE_NAME);
      }
    }
  }

  /** Loads the native library on first use only, so forcing Bouncy Castle never touches JNI. */
  private static final class NativeHolder {
    static final NativeLoad LOAD = load();

    private static NativeLoad load() {
      try {
        return new NativeLoad(NativeSecp256k1.load(BOUNCY_CASTLE), null);
      } catch (
          Throwable t) { // UnsatisfiedLinkError and friends are Errors; all mean "not available"
        if (t instanceof VirtualMachineError vme)
          throw vme; // out of memory is not "no native library"
        return new NativeLoad(null, describe(t));
      }
    }
  }

  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    String previous = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() == null && c.getCause() != null)
        continue; // wrappers such as ExceptionInInitializerError
      String entry = c.getClass().getName() + (c.getMessage() != null ? ": " + c.getMessage() : "");
      if (entry.equals(previous))
        continue; // JNA rethrows its UnsatisfiedLinkError wrapped in an identical one
      previous = entry;
      if (sb.length() > 0) sb.append("; caused by ");
      sb.append(c.getClass().getName());
      if (c.getMessage() != null) sb.append(": ").append(c.getMessage());
    }
    return sb.toString();
  }
}
