// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Verification of FROST(secp256k1, SHA-256) signatures (RFC 9591): a Schnorr signature (R, z)
/// over `msg` by the group key PK is valid iff z·G == R + c·PK, with the challenge
///   c = H2(SerializeElement(R) || SerializeElement(PK) || msg)
///   H2(m) = OS2IP(expand_message_xmd_SHA256(m, "FROST-secp256k1-SHA256-v1chal", 48)) mod n
/// and SerializeElement the 33-byte compressed point (02/03 prefix for even/odd y, then x).
///
/// The curve arithmetic is one call to the ecrecover precompile. ecrecover(h, v, r, s) returns the
/// address of r⁻¹·(s·K − h·G), K being the point with x = r and y of parity v − 27. With K = PK
/// (so r = PKx, which must be below n), s = −c·PKx and h = −z·PKx (mod n) that is
///   PKx⁻¹·(−c·PKx·PK + z·PKx·G) = z·G − c·PK,
/// which equals R exactly when the signature is valid; their addresses are compared. R arrives
/// compressed, so its y is recovered with one modexp (y = (x³ + 7)^((p + 1) / 4) mod p), which also
/// proves R is on the curve. expand_message_xmd is three calls to the SHA-256 precompile.
///
/// Everything works in memory past the free memory pointer and allocates nothing.
library FrostSecp256k1 {
    /// secp256k1 field prime p and group order n.
    uint256 internal constant P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    /// (p + 1) / 4: p = 3 mod 4, so a^((p+1)/4) is a square root of a whenever one exists.
    uint256 internal constant SQRT_EXPONENT = 0x3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFBFFFFF0C;

    /// The 33 bytes that end expand_message_xmd's msg_prime: I2OSP(48, 2) | I2OSP(0, 1) | DST_prime,
    /// DST_prime = "FROST-secp256k1-SHA256-v1chal" (29 bytes) | I2OSP(29, 1). The first 32 here,
    /// the last (0x1d) written separately.
    bytes32 internal constant XMD_TAIL = "\x00\x30\x00FROST-secp256k1-SHA256-v1chal";
    /// DST_prime left-aligned in a word: what follows b_0 ^ b_(i-1) and I2OSP(i, 1) in b_i's input.
    bytes32 internal constant DST_PRIME = "FROST-secp256k1-SHA256-v1chal\x1d";

    /// y of the point with x-coordinate x and y parity `odd`, or ok = false if x >= p or no point
    /// has that x.
    function decompress(uint256 x, uint256 odd) internal view returns (bool ok, uint256 y) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            let rhs := addmod(mulmod(x, mulmod(x, x, P), P), 7, P)
            mstore(m, 0x20) // base, exponent and modulus lengths
            mstore(add(m, 0x20), 0x20)
            mstore(add(m, 0x40), 0x20)
            mstore(add(m, 0x60), rhs)
            mstore(add(m, 0x80), SQRT_EXPONENT)
            mstore(add(m, 0xa0), P)
            ok := staticcall(gas(), 0x05, m, 0xc0, m, 0x20)
            y := mload(m)
            ok := and(ok, and(lt(x, P), eq(mulmod(y, y, P), rhs)))
            if iszero(eq(and(y, 1), odd)) { y := sub(P, y) } // y != 0: no point of order 2
        }
    }

    /// The challenge c for R (compressed: prefix 2 or 3, x) and PK (same) over the `len` bytes of
    /// memory at `msgPtr`.
    function challengeAt(uint256 rPrefix, uint256 rx, uint256 pkPrefix, uint256 pkx, uint256 msgPtr, uint256 len)
        internal
        view
        returns (uint256 c)
    {
        assembly ("memory-safe") {
            // msg_prime = Z_pad (64 zero bytes) | R (33) | PK (33) | msg | I2OSP(48,2) | 0x00 | DST_prime
            let m := mload(0x40)
            mstore(m, 0)
            mstore(add(m, 0x20), 0)
            mstore8(add(m, 0x40), rPrefix)
            mstore(add(m, 0x41), rx)
            mstore8(add(m, 0x61), pkPrefix)
            mstore(add(m, 0x62), pkx)
            mcopy(add(m, 0x82), msgPtr, len)
            let t := add(add(m, 0x82), len)
            mstore(t, XMD_TAIL)
            mstore8(add(t, 0x20), 0x1d)
            let ok := staticcall(gas(), 0x02, m, add(0xa3, len), 0x00, 0x20)
            // b_1 = H(b_0 | 0x01 | DST_prime); b_2 = H((b_0 ^ b_1) | 0x02 | DST_prime)
            let b0 := mload(0x00)
            mstore(m, b0)
            mstore8(add(m, 0x20), 1)
            mstore(add(m, 0x21), DST_PRIME)
            ok := and(ok, staticcall(gas(), 0x02, m, 0x3f, 0x00, 0x20))
            let b1 := mload(0x00)
            mstore(m, xor(b0, b1))
            mstore8(add(m, 0x20), 2)
            ok := and(ok, staticcall(gas(), 0x02, m, 0x3f, 0x00, 0x20))
            if iszero(ok) { revert(0, 0) } // out of gas in a precompile
            // uniform_bytes = b_1 | b_2[0:16], 48 bytes, as an integer mod n
            c := addmod(mulmod(b1, 0x100000000000000000000000000000000, N), shr(128, mload(0x00)), N)
        }
    }

    /// The challenge over a message of any length.
    function challenge(uint256 rPrefix, uint256 rx, uint256 pkPrefix, uint256 pkx, bytes memory message)
        internal
        view
        returns (uint256 c)
    {
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := add(message, 0x20)
        }
        return challengeAt(rPrefix, rx, pkPrefix, pkx, ptr, message.length);
    }

    /// Whether z·G − c·PK is the point (rx, ry). PK is given by x (below n) and parity; z must be
    /// in [1, n) (checked by the caller: z = 0 would make h = 0, which ecrecover still accepts).
    function matches(uint256 pkx, uint256 pkOdd, uint256 rx, uint256 ry, uint256 z, uint256 c)
        internal
        view
        returns (bool ok)
    {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, sub(N, mulmod(z, pkx, N))) // h = −z·PKx (z, PKx nonzero mod n: never N − 0)
            mstore(add(m, 0x20), add(27, pkOdd))
            mstore(add(m, 0x40), pkx)
            mstore(add(m, 0x60), sub(N, mulmod(c, pkx, N))) // s = −c·PKx; c = 0 gives s = N: rejected
            mstore(0x00, 0) // nothing is returned for an unrecoverable input
            pop(staticcall(gas(), 0x01, m, 0x80, 0x00, 0x20))
            let recovered := mload(0x00)
            mstore(0x00, rx)
            mstore(0x20, ry)
            ok := and(iszero(iszero(recovered)), eq(recovered, and(keccak256(0x00, 0x40), 0xffffffffffffffffffffffffffffffffffffffff)))
        }
    }

    /// Full verification of a signature (R compressed as rPrefix | rx, z) by PK (pkPrefix | pkx,
    /// pkx < n) over `message`. For tests and off-line use; VigilCore inlines the same steps.
    function verify(uint256 pkPrefix, uint256 pkx, uint256 rPrefix, uint256 rx, uint256 z, bytes memory message)
        internal
        view
        returns (bool)
    {
        if (rPrefix != 2 && rPrefix != 3) return false;
        if (pkPrefix != 2 && pkPrefix != 3) return false;
        if (pkx >= N || z == 0 || z >= N) return false;
        (bool onCurve, uint256 ry) = decompress(rx, rPrefix - 2);
        if (!onCurve) return false;
        uint256 c = challenge(rPrefix, rx, pkPrefix, pkx, message);
        return matches(pkx, pkPrefix - 2, rx, ry, z, c);
    }
}
