// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "./Test.sol";
import {VigilCore} from "../../src/VigilCore.sol";

/// Test committees with deterministic keys, and attestations signed by them with vm.sign.
abstract contract CommitteeFixture is Test {
    uint16 internal constant GOVERNANCE_CHAIN = 1;
    bytes32 internal constant GOVERNANCE_EMITTER = bytes32(uint256(4));
    uint32 internal constant WINDOW = 86400;
    uint16 internal constant THIS_CHAIN = 2;
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    struct TestCommittee {
        uint32 index;
        uint256[] keys;
        address[] members;
    }

    /// A committee of `size` members whose keys depend on `salt`, so two committees differ.
    function makeCommittee(uint32 index, uint256 size, uint256 salt) internal pure returns (TestCommittee memory c) {
        c.index = index;
        c.keys = new uint256[](size);
        c.members = new address[](size);
        for (uint256 i = 0; i < size; i++) {
            c.keys[i] = uint256(keccak256(abi.encode("vigil test key", salt, i))) % (SECP256K1_N - 1) + 1;
            c.members[i] = vm.addr(c.keys[i]);
        }
    }

    function deployCore(TestCommittee memory c) internal returns (VigilCore) {
        return new VigilCore(c.index, c.members, GOVERNANCE_CHAIN, GOVERNANCE_EMITTER, WINDOW, THIS_CHAIN);
    }

    function makeBody(uint16 emitterChain, bytes32 emitterAddress, uint64 sequence, bytes memory payload)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(uint32(1_700_000_000), uint32(42), emitterChain, emitterAddress, sequence, uint8(1), payload);
    }

    function digestOf(bytes memory body) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(keccak256(body)));
    }

    /// Signed by the members at `signers` (in the given order, which tests may make non-ascending).
    function attest(TestCommittee memory c, uint256[] memory signers, bytes memory body)
        internal
        pure
        returns (bytes memory att)
    {
        bytes32 digest = digestOf(body);
        att = abi.encodePacked(uint8(1), c.index, uint8(signers.length));
        for (uint256 i = 0; i < signers.length; i++) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(c.keys[signers[i]], digest);
            // vm.sign gives 27/28; the attestation carries 0/1
            att = abi.encodePacked(att, uint8(signers[i]), r, s, v - 27);
        }
        att = abi.encodePacked(att, body);
    }

    /// Signed by members 0 .. count-1.
    function attestFirst(TestCommittee memory c, uint256 count, bytes memory body) internal pure returns (bytes memory) {
        return attest(c, range(0, count), body);
    }

    function range(uint256 from, uint256 to) internal pure returns (uint256[] memory r) {
        r = new uint256[](to - from);
        for (uint256 i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
    }

    function list(uint256 a, uint256 b) internal pure returns (uint256[] memory r) {
        r = new uint256[](2);
        (r[0], r[1]) = (a, b);
    }

    function list(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory r) {
        r = new uint256[](3);
        (r[0], r[1], r[2]) = (a, b, c);
    }

    /// Governance payload rotating to `next` (Wormhole's guardian-set upgrade).
    function rotationPayload(uint16 chain, uint32 newIndex, address[] memory members) internal pure returns (bytes memory p) {
        p = abi.encodePacked(bytes32(uint256(0x436f7265)), uint8(2), chain, newIndex, uint8(members.length));
        for (uint256 i = 0; i < members.length; i++) {
            p = abi.encodePacked(p, members[i]);
        }
    }

    function governanceBody(bytes memory payload) internal pure returns (bytes memory) {
        return makeBody(GOVERNANCE_CHAIN, GOVERNANCE_EMITTER, 7, payload);
    }

    // ---- byte surgery on encoded attestations

    function withByte(bytes memory data, uint256 pos, uint8 value) internal pure returns (bytes memory out) {
        out = bytes.concat(data);
        out[pos] = bytes1(value);
    }

    function withWord(bytes memory data, uint256 pos, bytes32 value) internal pure returns (bytes memory out) {
        out = bytes.concat(data);
        for (uint256 i = 0; i < 32; i++) {
            out[pos + i] = value[i];
        }
    }

    function prefix(bytes memory data, uint256 length) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i = 0; i < length; i++) {
            out[i] = data[i];
        }
    }

    /// Offsets inside an attestation.
    function sigAt(uint256 i) internal pure returns (uint256) {
        return 6 + 66 * i;
    }

    function bodyAt(uint256 n) internal pure returns (uint256) {
        return 6 + 66 * n;
    }
}
