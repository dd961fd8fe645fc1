package dev.vigil.signing.keystore;

/**
 * scrypt cost parameters for a new key file. {@link #STANDARD} is geth's default (n = 2^18, r = 8,
 * p = 1: about 256 MiB and a second or so per unlock); tests pass something much lower.
 */
public record KdfParams(int n, int r, int p) {
  public static final KdfParams STANDARD = new KdfParams(1 << 18, 8, 1);

  /** geth's "light" parameters: fast to unlock, for throwaway devnet keys only. */
  public static final KdfParams LIGHT = new KdfParams(1 << 12, 8, 6);

  /** Memory ceiling: a hostile key file must not make the node allocate more than this. */
  static final long MAX_MEMORY_BYTES = 1L << 30;

  /** Work ceiling, n·r·p: 8 times the standard cost. */
  static final long MAX_WORK = 1L << 24;

  public KdfParams {
    String why = problem(n, r, p);
    if (why != null)
      throw new IllegalArgumentException(
          "scrypt parameters n=" + n + " r=" + r + " p=" + p + ": " + why);
  }

  static String problem(long n, long r, long p) {
    if (n < 2 || (n & (n - 1)) != 0) return "n must be a power of two, at least 2";
    if (r < 1 || p < 1) return "r and p must be at least 1";
    if (128L * n * r > MAX_MEMORY_BYTES) return "needs more than 1 GiB of memory (128·n·r)";
    if (n * r * p > MAX_WORK) return "costs more than " + MAX_WORK + " (n·r·p)";
    return null;
  }
}
