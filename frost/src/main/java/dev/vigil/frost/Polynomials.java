package dev.vigil.frost;

import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;

/** Polynomial evaluation and Lagrange interpolation over the scalar field (RFC 9591 4.2, C.1). */
final class Polynomials {
  private static final BigInteger N = Ciphersuite.N;

  private Polynomials() {}

  /** polynomial_evaluate(x, coeffs): coeffs[0] + coeffs[1] x + ... by Horner's rule. */
  static BigInteger evaluate(BigInteger x, List<BigInteger> coefficients) {
    BigInteger value = BigInteger.ZERO;
    for (int i = coefficients.size() - 1; i >= 0; i--) {
      value = value.multiply(x).add(coefficients.get(i)).mod(N);
    }
    return value;
  }

  /**
   * derive_interpolating_value(L, x_i): the Lagrange coefficient of {@code identifier} at 0 over
   * {@code participants}.
   *
   * @throws IllegalArgumentException when the identifier is not among the participants, or a
   *     participant appears twice
   */
  static BigInteger lagrangeCoefficient(int identifier, Collection<Integer> participants) {
    if (new HashSet<>(participants).size() != participants.size()) {
      throw new IllegalArgumentException("participant list has duplicates: " + participants);
    }
    if (!participants.contains(identifier)) {
      throw new IllegalArgumentException(
          "participant " + identifier + " is not among the signers " + participants);
    }
    BigInteger xi = BigInteger.valueOf(identifier);
    BigInteger numerator = BigInteger.ONE;
    BigInteger denominator = BigInteger.ONE;
    for (int j : participants) {
      if (j == identifier) continue;
      BigInteger xj = BigInteger.valueOf(j);
      numerator = numerator.multiply(xj).mod(N);
      denominator = denominator.multiply(xj.subtract(xi)).mod(N);
    }
    return numerator.multiply(denominator.modInverse(N)).mod(N);
  }
}
