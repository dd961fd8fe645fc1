// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommitteeFixture} from "./CommitteeFixture.sol";
import {Vm} from "./Vm.sol";
import {FrostSecp256k1} from "../../src/FrostSecp256k1.sol";

/// RFC 9591's FROST(secp256k1, SHA-256) test vector (Appendix E.5), and group keys and v2
/// attestations made in the test: a "group" secret s with PK = s·G, a nonce k with R = k·G (both
/// from the createWallet cheatcode), z = k + c·s mod n with c from FrostSecp256k1's H2. A
/// single-party Schnorr signature is exactly what a FROST aggregate is, so this is what a
/// committee's threshold signature looks like on chain.
abstract contract FrostFixture is CommitteeFixture {
    // ---- RFC 9591 Appendix E.5 (from shared/vectors/frost-secp256k1-sha256-rfc9591.json)
    uint256 internal constant RFC_GROUP_SECRET = 0x0d004150d27c3bf2a42f312683d35fac7394b1e9e318249c1bfe7f0795a83114;
    /// group_public_key 02f37c34...7b4f: prefix 0x02, then x
    uint8 internal constant RFC_PK_PREFIX = 0x02;
    uint256 internal constant RFC_PK_X = 0xf37c34b66ced1fb51c34a90bdae006901f10625cc06c4f64663b0eae87d87b4f;
    bytes internal constant RFC_MESSAGE = hex"74657374"; // "test"
    /// final_output.sig = R (33, compressed) | z (32)
    uint8 internal constant RFC_R_PREFIX = 0x02;
    uint256 internal constant RFC_R_X = 0x4c1ad4e031872661fa6ebd05dfc7fb30db08b38d79f0edbc82051ae931381bc6;
    uint256 internal constant RFC_Z = 0xa46881e25c7989d3816eae32074f1ab0d49ee908a59713ed5284c6bade7cfb02;

    uint256 internal constant N = FrostSecp256k1.N;
    uint256 internal constant P = FrostSecp256k1.P;

    struct GroupKey {
        uint256 secret;
        uint8 prefix;
        uint256 x;
    }

    /// A group key from `seed` whose x is below n (as VigilCore requires).
    function makeGroupKey(uint256 seed) internal returns (GroupKey memory g) {
        for (uint256 i = 0;; i++) {
            g.secret = uint256(keccak256(abi.encode("vigil group key", seed, i))) % (N - 1) + 1;
            Vm.Wallet memory w = vm.createWallet(g.secret);
            if (w.publicKeyX < N) {
                g.x = w.publicKeyX;
                g.prefix = uint8(2 + (w.publicKeyY & 1));
                return g;
            }
        }
    }

    /// A FROST/Schnorr signature (R compressed, z) by g over `message`, with nonce k.
    function frostSign(GroupKey memory g, uint256 k, bytes memory message)
        internal
        returns (uint8 rPrefix, uint256 rx, uint256 z)
    {
        k = k % (N - 1) + 1;
        Vm.Wallet memory w = vm.createWallet(k);
        rPrefix = uint8(2 + (w.publicKeyY & 1));
        rx = w.publicKeyX;
        uint256 c = FrostSecp256k1.challenge(rPrefix, rx, g.prefix, g.x, message);
        z = addmod(k, mulmod(c, g.secret, N), N);
    }

    /// Attestation v2 of `body` signed by g, for committee `index`.
    function attestV2(GroupKey memory g, uint32 index, bytes memory body, uint256 nonceSeed)
        internal
        returns (bytes memory)
    {
        (uint8 rPrefix, uint256 rx, uint256 z) = frostSign(g, nonceSeed, abi.encodePacked(digestOf(body)));
        return abi.encodePacked(uint8(2), index, rPrefix, rx, z, body);
    }

    /// Governance payload installing a group key (module "Core", action 3).
    function groupKeyPayload(uint16 chain, uint32 index, uint8 prefix, uint256 x) internal pure returns (bytes memory) {
        return abi.encodePacked(bytes32(uint256(0x436f7265)), uint8(3), chain, index, prefix, x);
    }

    function groupKeyPayload(uint32 index, GroupKey memory g) internal pure returns (bytes memory) {
        return groupKeyPayload(0, index, g.prefix, g.x);
    }

    /// Offsets inside an attestation v2.
    uint256 internal constant V2_R = 5;
    uint256 internal constant V2_Z = 38;
    uint256 internal constant V2_BODY = 70;
}
