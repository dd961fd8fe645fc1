// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {FrostFixture} from "./utils/FrostFixture.sol";
import {Vm} from "./utils/Vm.sol";
import {VigilCore} from "../src/VigilCore.sol";
import {FrostSecp256k1} from "../src/FrostSecp256k1.sol";

/// Threshold mode: attestation v2 (one FROST(secp256k1, SHA-256) signature by the committee's
/// group key), group key installation by governance action 3, and expiry with the committee.
contract VigilCoreV2Test is FrostFixture {
    event GroupKeyInstalled(uint32 indexed committeeIndex, bytes32 x, uint8 parity);

    uint256 internal constant T0 = 1_800_000_000;

    VigilCore internal core;
    TestCommittee internal c0; // index 0, 4 members
    TestCommittee internal c1; // index 1, 7 members
    GroupKey internal g0;
    GroupKey internal g1;
    bytes internal body;
    bytes internal att; // v2, signed by g0

    function setUp() public {
        vm.warp(T0);
        c0 = makeCommittee(0, 4, 30);
        c1 = makeCommittee(1, 7, 31);
        core = deployCore(c0);
        g0 = makeGroupKey(0);
        g1 = makeGroupKey(1);
        core.submitGroupKey(attestFirst(c0, 3, governanceBody(groupKeyPayload(0, g0))));
        body = makeBody(5, bytes32(uint256(0xabc)), 9, "hello threshold");
        att = attestV2(g0, 0, body, 1);
    }

    // ------------------------------------------------------------------ helpers

    /// The x installed for the attestation's index (what a relayer passes to the calldata path).
    function keyOf(bytes memory a) internal view returns (bytes32 x) {
        if (a.length < 5) return 0;
        uint32 index = uint32(uint8(a[1])) << 24 | uint32(uint8(a[2])) << 16 | uint32(uint8(a[3])) << 8 | uint32(uint8(a[4]));
        (x,) = core.groupKey(index);
    }

    /// Both paths (stored key, key in calldata) must give the same answer; returns it.
    function check(bytes memory a) internal view returns (bool ok, string memory reason) {
        bytes32 d;
        (ok, reason, d) = core.verifyAttestationV2(a);
        (bool ok2, string memory reason2, bytes32 d2) = core.verifyAttestationV2WithKey(a, keyOf(a));
        assertEq(ok2, ok, "both paths agree on validity");
        assertEq(reason2, reason, "both paths give the same reason");
        assertEq(d2, d, "both paths give the same digest");
    }

    function assertAccepted(bytes memory a) internal view {
        (bool ok, string memory reason, bytes32 digest) = core.verifyAttestationV2(a);
        assertEq(reason, "", "reason");
        assertTrue(ok, "valid");
        assertEq(digest, digestOf(slice(a, V2_BODY)), "digest is keccak256(keccak256(body))");
        (ok, reason, digest) = core.verifyAttestationV2WithKey(a, keyOf(a));
        assertEq(reason, "", "reason (key in calldata)");
        assertTrue(ok, "valid (key in calldata)");
        assertEq(digest, digestOf(slice(a, V2_BODY)), "digest (key in calldata)");
    }

    function assertRejected(bytes memory a, string memory expected) internal view {
        (bool ok, string memory reason) = check(a);
        assertFalse(ok, "must reject");
        assertEq(reason, expected, "reason");
    }

    function slice(bytes memory data, uint256 from) internal pure returns (bytes memory out) {
        out = new bytes(data.length - from);
        for (uint256 i = 0; i < out.length; i++) out[i] = data[from + i];
    }

    function withZ(bytes memory a, uint256 z) internal pure returns (bytes memory) {
        return withWord(a, V2_Z, bytes32(z));
    }

    function withRx(bytes memory a, uint256 x) internal pure returns (bytes memory) {
        return withWord(a, V2_R + 1, bytes32(x));
    }

    function installWith(TestCommittee memory signers, bytes memory payload) internal {
        core.submitGroupKey(attestFirst(signers, signers.members.length * 2 / 3 + 1, governanceBody(payload)));
    }

    function expectInstallRevert(bytes memory payload, string memory reason) internal {
        bytes memory gov = attestFirst(c0, 3, governanceBody(payload));
        vm.expectRevert(bytes(reason));
        core.submitGroupKey(gov);
    }

    // ------------------------------------------------------------------ the RFC 9591 vector

    /// The RFC's final signature is a plain Schnorr signature by the group key: verifying it checks
    /// H2 (expand_message_xmd, the DST, the reduction) and the ecrecover equation against the RFC.
    function test_rfc9591Vector_verifiesAsSchnorr() public {
        Vm.Wallet memory w = vm.createWallet(RFC_GROUP_SECRET);
        assertEq(w.publicKeyX, RFC_PK_X, "group_public_key is group_secret_key * G");
        assertEq(2 + (w.publicKeyY & 1), RFC_PK_PREFIX, "group_public_key parity");
        assertTrue(FrostSecp256k1.verify(RFC_PK_PREFIX, RFC_PK_X, RFC_R_PREFIX, RFC_R_X, RFC_Z, RFC_MESSAGE), "RFC signature verifies");

        assertFalse(FrostSecp256k1.verify(RFC_PK_PREFIX, RFC_PK_X, RFC_R_PREFIX, RFC_R_X, RFC_Z, "tesu"), "other message");
        assertFalse(FrostSecp256k1.verify(RFC_PK_PREFIX, RFC_PK_X, RFC_R_PREFIX, RFC_R_X, RFC_Z + 1, RFC_MESSAGE), "other z");
        assertFalse(FrostSecp256k1.verify(RFC_PK_PREFIX, RFC_PK_X, 0x03, RFC_R_X, RFC_Z, RFC_MESSAGE), "-R");
        assertFalse(FrostSecp256k1.verify(0x03, RFC_PK_X, RFC_R_PREFIX, RFC_R_X, RFC_Z, RFC_MESSAGE), "-PK");
    }

    /// Our own signature over "test" by the RFC's group key verifies too (same H2 both ways).
    function test_rfcGroupKey_signatureMadeHere() public {
        GroupKey memory g = GroupKey({secret: RFC_GROUP_SECRET, prefix: RFC_PK_PREFIX, x: RFC_PK_X});
        (uint8 rPrefix, uint256 rx, uint256 z) = frostSign(g, 12345, RFC_MESSAGE);
        assertTrue(FrostSecp256k1.verify(RFC_PK_PREFIX, RFC_PK_X, rPrefix, rx, z, RFC_MESSAGE), "verifies");
    }

    // ------------------------------------------------------------------ installation

    function test_install_storesKeyAndEmits() public {
        VigilCore fresh = deployCore(c0);
        (bytes32 x, uint8 parity) = fresh.groupKey(0);
        assertEq(x, bytes32(0), "no key before");
        assertEq(parity, 0, "no key before");
        bytes memory gov = attestFirst(c0, 3, governanceBody(groupKeyPayload(0, g1)));
        vm.expectEmit(true, false, false, true, address(fresh));
        emit GroupKeyInstalled(0, bytes32(g1.x), g1.prefix - 2);
        fresh.submitGroupKey(gov);
        (x, parity) = fresh.groupKey(0);
        assertEq(x, bytes32(g1.x), "x");
        assertEq(parity, g1.prefix - 2, "parity");
        assertTrue(fresh.governanceActionIsConsumed(digestOf(governanceBody(groupKeyPayload(0, g1)))), "consumed");
        (x,) = fresh.groupKey(1);
        assertEq(x, bytes32(0), "nothing for another index");
    }

    function test_install_bothParities() public {
        // find keys of each parity and install each on its own core
        for (uint256 want = 2; want <= 3; want++) {
            GroupKey memory g;
            for (uint256 seed = 100;; seed++) {
                g = makeGroupKey(seed);
                if (g.prefix == want) break;
            }
            VigilCore fresh = deployCore(c0);
            fresh.submitGroupKey(attestFirst(c0, 3, governanceBody(groupKeyPayload(0, g))));
            bytes memory a = attestV2(g, 0, body, 77);
            (bool ok, string memory reason,) = fresh.verifyAttestationV2(a);
            assertEq(reason, "", "reason");
            assertTrue(ok, "verifies with either parity");
        }
    }

    function test_install_forThisChain() public {
        VigilCore fresh = deployCore(c0);
        fresh.submitGroupKey(attestFirst(c0, 3, governanceBody(groupKeyPayload(THIS_CHAIN, 0, g1.prefix, g1.x))));
        (bytes32 x,) = fresh.groupKey(0);
        assertEq(x, bytes32(g1.x), "installed");
    }

    function test_install_refusesOtherIndex() public {
        VigilCore fresh = deployCore(c0);
        core = fresh;
        expectInstallRevert(groupKeyPayload(0, 1, g1.prefix, g1.x), "group key must be for the current committee");
        expectInstallRevert(groupKeyPayload(0, type(uint32).max, g1.prefix, g1.x), "group key must be for the current committee");
    }

    function test_install_refusesKeyNotOnCurve() public {
        core = deployCore(c0);
        expectInstallRevert(groupKeyPayload(0, 0, 0x04, g1.x), "group key not on the curve");
        expectInstallRevert(groupKeyPayload(0, 0, 0x00, g1.x), "group key not on the curve");
        expectInstallRevert(groupKeyPayload(0, 0, 0x02, 5), "group key not on the curve"); // 5^3 + 7 is no square
        expectInstallRevert(groupKeyPayload(0, 0, 0x02, 0), "group key not on the curve");
        expectInstallRevert(groupKeyPayload(0, 0, 0x02, P), "group key not on the curve"); // x >= p
        expectInstallRevert(groupKeyPayload(0, 0, 0x03, P + 1), "group key not on the curve");
    }

    function test_install_refusesXAtOrAboveN() public {
        core = deployCore(c0);
        // n itself is the x of a curve point (found off line); so ecrecover could not take it as r
        (bool onCurve,) = FrostSecp256k1.decompress(N, 0);
        assertTrue(onCurve, "n is an x on the curve");
        expectInstallRevert(groupKeyPayload(0, 0, 0x02, N), "group key x must be below n");
        expectInstallRevert(groupKeyPayload(0, 0, 0x03, N), "group key x must be below n");
    }

    function test_install_refusesSecondKeyForTheIndex() public {
        expectInstallRevert(groupKeyPayload(0, g1), "group key already set");
        // the same key again, under another governance message (sequence 8)
        bytes memory gov = attestFirst(c0, 3, makeBody(GOVERNANCE_CHAIN, GOVERNANCE_EMITTER, 8, groupKeyPayload(0, g0)));
        vm.expectRevert(bytes("group key already set"));
        core.submitGroupKey(gov);
    }

    function test_install_refusesReplay() public {
        VigilCore fresh = deployCore(c0);
        bytes memory gov = attestFirst(c0, 3, governanceBody(groupKeyPayload(0, g1)));
        fresh.submitGroupKey(gov);
        vm.expectRevert(bytes("governance action already consumed"));
        fresh.submitGroupKey(gov);
    }

    function test_install_refusesWrongModuleActionChainLength() public {
        core = deployCore(c0);
        bytes memory p = groupKeyPayload(0, g1);
        p[31] = "f";
        expectInstallRevert(p, "invalid Module");
        p = groupKeyPayload(0, g1);
        p[32] = 0x02; // a rotation's action
        expectInstallRevert(p, "invalid governance action");
        p[32] = 0x01;
        expectInstallRevert(p, "invalid governance action");
        expectInstallRevert(groupKeyPayload(THIS_CHAIN + 1, 0, g1.prefix, g1.x), "invalid Chain");
        p = groupKeyPayload(0, g1);
        expectInstallRevert(bytes.concat(p, hex"00"), "invalid GroupKey length");
        expectInstallRevert(prefix(p, 71), "invalid GroupKey length");
        expectInstallRevert(prefix(p, 34), "invalid GroupKey length");
        expectInstallRevert("", "invalid GroupKey length");
        // a rotation payload sent here is refused by its action
        expectInstallRevert(rotationPayload(0, 1, c1.members), "invalid governance action");
    }

    function test_install_refusesWrongGovernanceSource() public {
        core = deployCore(c0);
        bytes memory p = groupKeyPayload(0, g1);
        bytes memory gov = attestFirst(c0, 3, makeBody(2, GOVERNANCE_EMITTER, 7, p));
        vm.expectRevert(bytes("wrong governance chain"));
        core.submitGroupKey(gov);
        gov = attestFirst(c0, 3, makeBody(GOVERNANCE_CHAIN, bytes32(uint256(5)), 7, p));
        vm.expectRevert(bytes("wrong governance contract"));
        core.submitGroupKey(gov);
        gov = attestFirst(c0, 2, governanceBody(p));
        vm.expectRevert(bytes("no quorum"));
        core.submitGroupKey(gov);
        TestCommittee memory impostor = makeCommittee(0, 4, 666);
        gov = attestFirst(impostor, 4, governanceBody(p));
        vm.expectRevert(bytes("VM signature invalid"));
        core.submitGroupKey(gov);
    }

    function test_install_afterRotation_onlyByAndForTheNewCommittee() public {
        core.submitNewGuardianSet(attestFirst(c0, 3, governanceBody(rotationPayload(0, 1, c1.members))));
        // the old committee may not install any more, not even for its own index
        bytes memory gov = attestFirst(c0, 3, makeBody(GOVERNANCE_CHAIN, GOVERNANCE_EMITTER, 9, groupKeyPayload(1, g1)));
        vm.expectRevert(bytes("not signed by current guardian set"));
        core.submitGroupKey(gov);
        // the new one only for its index
        gov = attestFirst(c1, 5, makeBody(GOVERNANCE_CHAIN, GOVERNANCE_EMITTER, 9, groupKeyPayload(0, 0, g1.prefix, g1.x)));
        vm.expectRevert(bytes("group key must be for the current committee"));
        core.submitGroupKey(gov);
        installWith(c1, groupKeyPayload(1, g1));
        (bytes32 x,) = core.groupKey(1);
        assertEq(x, bytes32(g1.x), "installed for committee 1");
        assertAccepted(attestV2(g1, 1, body, 5));
        assertAccepted(att); // committee 0's key still valid inside the window
    }

    // ------------------------------------------------------------------ verification

    function test_accepts_signatureMadeInTest() public view {
        assertAccepted(att);
    }

    function test_accepts_anyCommitteeSize_keyDoesNotDependOnIt() public {
        uint256[3] memory sizes = [uint256(1), 19, 100];
        for (uint256 i = 0; i < sizes.length; i++) {
            TestCommittee memory c = makeCommittee(0, sizes[i], 500 + i);
            VigilCore fresh = deployCore(c);
            fresh.submitGroupKey(attestFirst(c, sizes[i] * 2 / 3 + 1, governanceBody(groupKeyPayload(0, g0))));
            (bool ok, string memory reason,) = fresh.verifyAttestationV2(att);
            assertEq(reason, "", "reason");
            assertTrue(ok, "the same attestation verifies whatever the committee size");
        }
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_accepts(uint256 nonce, bytes memory payload, uint64 sequence) public {
        bytes memory b = makeBody(7, bytes32(nonce), sequence, payload);
        assertAccepted(attestV2(g0, 0, b, nonce));
    }

    function test_rejects_truncated() public view {
        assertRejected("", "VM truncated");
        assertRejected(hex"02", "VM truncated");
        assertRejected(prefix(att, V2_BODY + 50), "VM truncated");
        assertRejected(prefix(att, V2_BODY), "VM truncated");
    }

    function test_accepts_emptyPayload() public {
        assertAccepted(attestV2(g0, 0, makeBody(5, bytes32(uint256(1)), 1, ""), 3));
    }

    function test_rejects_otherVersions() public view {
        assertRejected(withByte(att, 0, 1), "VM version incompatible");
        assertRejected(withByte(att, 0, 0), "VM version incompatible");
        assertRejected(withByte(att, 0, 3), "VM version incompatible");
        assertRejected(hex"01", "VM version incompatible");
    }

    function test_keyInCalldata_refusesAnotherKey() public view {
        (bool ok, string memory reason,) = core.verifyAttestationV2WithKey(att, bytes32(g1.x));
        assertFalse(ok, "another committee's key");
        assertEq(reason, "group key does not match", "reason");
        (ok, reason,) = core.verifyAttestationV2WithKey(att, bytes32(0));
        assertEq(reason, "group key does not match", "zero key");
        // no key installed: that reason comes first
        (ok, reason,) = core.verifyAttestationV2WithKey(withByte(att, 4, 1), bytes32(g0.x));
        assertEq(reason, "no group key for this index", "unknown index first");
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_keyInCalldata_refusesAnyOtherX(bytes32 x) public view {
        vm.assume(x != bytes32(g0.x));
        (bool ok, string memory reason,) = core.verifyAttestationV2WithKey(att, x);
        assertFalse(ok, "other x");
        assertEq(reason, "group key does not match", "reason");
    }

    function test_v1PathsRejectV2() public view {
        (, bool ok, string memory reason) = core.parseAndVerifyVM(att);
        assertFalse(ok, "parseAndVerifyVM is v1 only");
        assertEq(reason, "VM version incompatible", "reason");
        (ok, reason,) = core.verifyAttestation(att, c0.members);
        assertFalse(ok, "verifyAttestation is v1 only");
        assertEq(reason, "VM version incompatible", "reason");
    }

    function test_rejects_unknownGroupKeyIndex() public view {
        assertRejected(withByte(att, 4, 1), "no group key for this index");
        assertRejected(withByte(att, 1, 0x80), "no group key for this index");
    }

    function test_rejects_badR() public view {
        assertRejected(withByte(att, V2_R, 0x04), "signature R is not a curve point");
        assertRejected(withByte(att, V2_R, 0x00), "signature R is not a curve point");
        assertRejected(withRx(att, 5), "signature R is not a curve point");
        assertRejected(withRx(att, P), "signature R is not a curve point");
        assertRejected(withRx(att, type(uint256).max), "signature R is not a curve point");
    }

    function test_rejects_zOutOfRange() public view {
        assertRejected(withZ(att, 0), "signature z out of range");
        assertRejected(withZ(att, N), "signature z out of range");
        assertRejected(withZ(att, type(uint256).max), "signature z out of range");
    }

    function test_rejects_negatedR_andOtherKey() public {
        assertRejected(withByte(att, V2_R, uint8(att[V2_R]) ^ 1), "VM signature invalid");
        assertRejected(attestV2(g1, 0, body, 1), "VM signature invalid");
    }

    // ---- fuzzed mutations: every one is refused, for the reason its field gives

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_rejects_mutatedR(uint256 pos, uint8 mask) public view {
        vm.assume(mask != 0);
        pos = V2_R + bound(pos, 0, 32);
        bytes memory a = withByte(att, pos, uint8(att[pos]) ^ mask);
        (bool ok, string memory reason) = check(a);
        assertFalse(ok, "mutated R");
        assertTrue(
            keccak256(bytes(reason)) == keccak256("VM signature invalid")
                || keccak256(bytes(reason)) == keccak256("signature R is not a curve point"),
            reason
        );
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_rejects_mutatedZ(uint256 z) public view {
        uint256 real = uint256(bytes32(slice(att, V2_Z)));
        vm.assume(z != real);
        (bool ok, string memory reason) = check(withZ(att, z));
        assertFalse(ok, "mutated z");
        assertEq(reason, z == 0 || z >= N ? "signature z out of range" : "VM signature invalid", "reason");
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_rejects_mutatedBody(uint256 pos, uint8 mask) public view {
        vm.assume(mask != 0);
        pos = V2_BODY + bound(pos, 0, att.length - V2_BODY - 1);
        assertRejected(withByte(att, pos, uint8(att[pos]) ^ mask), "VM signature invalid");
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_rejects_appendedOrCutBody(uint8 extra) public view {
        assertRejected(bytes.concat(att, bytes1(extra)), "VM signature invalid");
        assertRejected(prefix(att, att.length - 1), "VM signature invalid");
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_rejects_otherKeyIndex(uint32 index) public view {
        vm.assume(index != 0);
        bytes memory a = abi.encodePacked(uint8(2), index, slice(att, 5));
        assertRejected(a, "no group key for this index");
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_rejects_otherKeyIndexWithAKey(uint256 nonce) public {
        // committee 1 has a key too: a signature by g0 presented as committee 1's is refused
        core.submitNewGuardianSet(attestFirst(c0, 3, governanceBody(rotationPayload(0, 1, c1.members))));
        installWith(c1, groupKeyPayload(1, g1));
        bytes memory a = attestV2(g0, 0, body, nonce);
        assertAccepted(a);
        assertRejected(withByte(a, 4, 1), "VM signature invalid");
        assertRejected(withByte(attestV2(g1, 1, body, nonce), 4, 0), "VM signature invalid");
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_rejects_otherVersion(uint8 version) public view {
        vm.assume(version != 2);
        assertRejected(withByte(att, 0, version), "VM version incompatible");
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_rejects_anySingleByteChange(uint256 pos, uint8 mask) public view {
        vm.assume(mask != 0);
        pos = bound(pos, 0, att.length - 1);
        (bool ok,) = check(withByte(att, pos, uint8(att[pos]) ^ mask));
        assertFalse(ok, "any change is refused");
    }

    // ------------------------------------------------------------------ expiry with the committee

    function test_expiry_groupKeyExpiresWithItsCommittee() public {
        core.submitNewGuardianSet(attestFirst(c0, 3, governanceBody(rotationPayload(0, 1, c1.members))));
        assertEq(core.committeeExpiry(0), T0 + WINDOW, "committee 0 expires");
        assertAccepted(att);
        vm.warp(T0 + WINDOW - 1);
        assertAccepted(att);
        vm.warp(T0 + WINDOW);
        assertRejected(att, "guardian set has expired");
        // a v1 attestation of committee 0 gives the same answer
        (, bool ok, string memory reason) =
            core.parseAndVerifyVM(attestFirst(c0, 3, body));
        assertFalse(ok, "v1 expired too");
        assertEq(reason, "guardian set has expired", "same rule");
        (bytes32 x,) = core.groupKey(0);
        assertEq(x, bytes32(g0.x), "the key stays readable");
    }

    function test_expiry_currentCommitteesKeyNeverExpires() public {
        vm.warp(uint256(type(uint32).max) + 1000);
        assertAccepted(att);
    }

    function test_expiry_rotationWithoutKeyStillWorks() public {
        VigilCore fresh = deployCore(c0);
        fresh.submitNewGuardianSet(attestFirst(c0, 3, governanceBody(rotationPayload(0, 1, c1.members))));
        assertEq(fresh.currentCommitteeIndex(), 1, "rotated");
        (bool ok, string memory reason,) = fresh.verifyAttestationV2(att);
        assertFalse(ok, "no key");
        assertEq(reason, "no group key for this index", "reason");
    }
}
