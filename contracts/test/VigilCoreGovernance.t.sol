// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommitteeFixture} from "./utils/CommitteeFixture.sol";
import {VigilCore} from "../src/VigilCore.sol";
import {IVigilCore} from "../src/IVigilCore.sol";

/// Committee rotation through governance attestations, the expiry window of a replaced committee,
/// and the constructor's checks.
contract VigilCoreGovernanceTest is CommitteeFixture {
    event CommitteeRotated(uint32 indexed oldIndex, uint32 indexed newIndex, address[] members);

    VigilCore internal core;
    TestCommittee internal c0; // index 0, 4 members
    TestCommittee internal c1; // index 1, 7 members
    bytes internal rotation; // c0 -> c1, signed by 3 of c0
    uint256 internal constant T0 = 1_800_000_000;

    function setUp() public {
        vm.warp(T0);
        c0 = makeCommittee(0, 4, 10);
        c1 = makeCommittee(1, 7, 11);
        core = deployCore(c0);
        rotation = attestFirst(c0, 3, governanceBody(rotationPayload(0, 1, c1.members)));
    }

    function rotateWith(bytes memory payload) internal returns (bytes memory att) {
        att = attestFirst(c0, 3, governanceBody(payload));
        core.submitNewGuardianSet(att);
    }

    function expectRotationRevert(bytes memory payload, string memory reason) internal {
        bytes memory att = attestFirst(c0, 3, governanceBody(payload));
        vm.expectRevert(bytes(reason));
        core.submitNewGuardianSet(att);
    }

    function messageFrom(TestCommittee memory c) internal pure returns (bytes memory) {
        return attestFirst(c, c.members.length * 2 / 3 + 1, makeBody(6, bytes32(uint256(0x77)), 1, "payload"));
    }

    function isValid(bytes memory att) internal view returns (bool ok, string memory reason) {
        (, ok, reason) = core.parseAndVerifyVM(att);
    }

    // ------------------------------------------------------------------ rotation

    function test_rotation_installsNextCommittee() public {
        vm.expectEmit(true, true, false, true, address(core));
        emit CommitteeRotated(0, 1, c1.members);
        core.submitNewGuardianSet(rotation);

        assertEq(core.currentCommitteeIndex(), 1, "current index");
        assertEq(core.getCurrentGuardianSetIndex(), 1, "current index (Wormhole getter)");
        address[] memory members = core.committeeMembers(1);
        assertEq(members.length, 7, "member count");
        for (uint256 i = 0; i < 7; i++) {
            assertEq(members[i], c1.members[i], "member in order");
        }
        assertEq(bytes32(core.committeeKeyHash(1)), bytes32(bytes28(keccak256(abi.encodePacked(c1.members)))), "key hash");
        assertEq(core.committeeExpiry(0), T0 + WINDOW, "old committee expires one window from now");
        assertEq(core.committeeExpiry(1), 0, "new committee does not expire");
        IVigilCore.GuardianSet memory gs = core.getGuardianSet(0);
        assertEq(gs.keys.length, 4, "old set still readable");
        assertEq(gs.expirationTime, T0 + WINDOW, "old set expiry (Wormhole getter)");
        assertTrue(core.governanceActionIsConsumed(digestOf(governanceBody(rotationPayload(0, 1, c1.members)))), "consumed");
    }

    function test_rotation_newCommitteeSigns_oldOneUntilExpiry() public {
        core.submitNewGuardianSet(rotation);
        (bool ok, string memory reason) = isValid(messageFrom(c1));
        assertTrue(ok, reason);
        (ok, reason) = isValid(messageFrom(c0));
        assertTrue(ok, "old committee valid inside the window");

        vm.warp(T0 + WINDOW - 1);
        (ok,) = isValid(messageFrom(c0));
        assertTrue(ok, "old committee valid one second before expiry");
        (bool ok2,,) = core.verifyAttestation(messageFrom(c0), c0.members);
        assertTrue(ok2, "old committee valid one second before expiry (calldata members)");

        vm.warp(T0 + WINDOW);
        (ok, reason) = isValid(messageFrom(c0));
        assertFalse(ok, "old committee rejected once the window has passed");
        assertEq(reason, "guardian set has expired", "reason");
        (ok2, reason,) = core.verifyAttestation(messageFrom(c0), c0.members);
        assertFalse(ok2, "rejected (calldata members)");
        assertEq(reason, "guardian set has expired", "reason (calldata members)");
        (ok,) = isValid(messageFrom(c1));
        assertTrue(ok, "current committee never expires");
    }

    function test_rotation_twice_chainsIndices() public {
        core.submitNewGuardianSet(rotation);
        TestCommittee memory c2 = makeCommittee(2, 1, 12);
        bytes memory next = attestFirst(c1, 5, governanceBody(rotationPayload(0, 2, c2.members)));
        core.submitNewGuardianSet(next);
        assertEq(core.currentCommitteeIndex(), 2, "current index");
        (bool ok,) = isValid(messageFrom(c2));
        assertTrue(ok, "committee of one signs alone");
    }

    function test_rotation_forThisChainIsAccepted() public {
        rotateWith(rotationPayload(THIS_CHAIN, 1, c1.members));
        assertEq(core.currentCommitteeIndex(), 1, "rotated");
    }

    function test_rotation_rejectsReplay() public {
        core.submitNewGuardianSet(rotation);
        // the same governance body, now signed by the current committee: same digest, consumed
        bytes memory again = attestFirst(c1, 5, governanceBody(rotationPayload(0, 1, c1.members)));
        vm.expectRevert(bytes("governance action already consumed"));
        core.submitNewGuardianSet(again);
    }

    function test_rotation_rejectsResubmissionOfTheSameAttestation() public {
        core.submitNewGuardianSet(rotation);
        vm.expectRevert(bytes("not signed by current guardian set"));
        core.submitNewGuardianSet(rotation);
    }

    function test_rotation_rejectsSkippedOrRepeatedIndex() public {
        expectRotationRevert(rotationPayload(0, 2, c1.members), "index must increase in steps of 1");
        expectRotationRevert(rotationPayload(0, 0, c1.members), "index must increase in steps of 1");
        expectRotationRevert(rotationPayload(0, type(uint32).max, c1.members), "index must increase in steps of 1");
    }

    function test_rotation_rejectsWrongGovernanceChain() public {
        bytes memory att = attestFirst(c0, 3, makeBody(2, GOVERNANCE_EMITTER, 7, rotationPayload(0, 1, c1.members)));
        vm.expectRevert(bytes("wrong governance chain"));
        core.submitNewGuardianSet(att);
    }

    function test_rotation_rejectsWrongGovernanceEmitter() public {
        bytes memory att = attestFirst(c0, 3, makeBody(GOVERNANCE_CHAIN, bytes32(uint256(5)), 7, rotationPayload(0, 1, c1.members)));
        vm.expectRevert(bytes("wrong governance contract"));
        core.submitNewGuardianSet(att);
    }

    function test_rotation_rejectsWrongModule() public {
        bytes memory p = rotationPayload(0, 1, c1.members);
        p[31] = "f"; // "Corf"
        expectRotationRevert(p, "invalid Module");
    }

    function test_rotation_rejectsOtherAction() public {
        bytes memory p = rotationPayload(0, 1, c1.members);
        p[32] = 0x01; // Wormhole's contract upgrade
        expectRotationRevert(p, "invalid governance action");
    }

    function test_rotation_rejectsOtherChain() public {
        expectRotationRevert(rotationPayload(THIS_CHAIN + 1, 1, c1.members), "invalid Chain");
    }

    function test_rotation_rejectsEmptyCommittee() public {
        expectRotationRevert(rotationPayload(0, 1, new address[](0)), "new guardian set is empty");
    }

    function test_rotation_rejectsZeroMember() public {
        address[] memory m = c1.members;
        m[3] = address(0);
        expectRotationRevert(rotationPayload(0, 1, m), "Invalid key");
    }

    function test_rotation_rejectsDuplicateMember() public {
        address[] memory m = c1.members;
        m[5] = m[2];
        expectRotationRevert(rotationPayload(0, 1, m), "duplicate key");
    }

    function test_rotation_rejectsPayloadOfWrongLength() public {
        bytes memory p = rotationPayload(0, 1, c1.members);
        expectRotationRevert(bytes.concat(p, hex"00"), "invalid GuardianSetUpgrade length");
        expectRotationRevert(prefix(p, p.length - 1), "invalid GuardianSetUpgrade length");
        expectRotationRevert(prefix(p, 39), "invalid GuardianSetUpgrade length");
        expectRotationRevert("", "invalid GuardianSetUpgrade length");
    }

    function test_rotation_rejectsWithoutQuorum() public {
        bytes memory att = attestFirst(c0, 2, governanceBody(rotationPayload(0, 1, c1.members)));
        vm.expectRevert(bytes("no quorum"));
        core.submitNewGuardianSet(att);
    }

    function test_rotation_rejectsSignaturesOfAnotherCommittee() public {
        TestCommittee memory impostor = makeCommittee(0, 4, 666);
        bytes memory att = attestFirst(impostor, 4, governanceBody(rotationPayload(0, 1, impostor.members)));
        vm.expectRevert(bytes("VM signature invalid"));
        core.submitNewGuardianSet(att);
    }

    function test_rotation_rejectsMalformedAttestation() public {
        vm.expectRevert(bytes("VM truncated"));
        core.submitNewGuardianSet(prefix(rotation, 100));
    }

    function test_rotation_rejectsSignedByPreviousCommittee() public {
        core.submitNewGuardianSet(rotation);
        // the old committee is still valid for messages, but may not rotate any more
        TestCommittee memory c2 = makeCommittee(2, 4, 12);
        bytes memory att = attestFirst(c0, 3, governanceBody(rotationPayload(0, 2, c2.members)));
        vm.expectRevert(bytes("not signed by current guardian set"));
        core.submitNewGuardianSet(att);
    }

    function test_rotation_nearEndOfTimeCapsExpiry() public {
        vm.warp(uint256(type(uint32).max) - 10);
        core.submitNewGuardianSet(rotation);
        assertEq(core.committeeExpiry(0), type(uint32).max - 1, "expiry saturates instead of reverting");
        (bool ok,) = isValid(messageFrom(c0));
        assertTrue(ok, "old committee valid until it saturates");
        vm.warp(type(uint32).max);
        (ok,) = isValid(messageFrom(c0));
        assertFalse(ok, "old committee expires even at the end of uint32 time");
        (ok,) = isValid(messageFrom(c1));
        assertTrue(ok, "current committee never expires, even at the end of uint32 time");
        vm.warp(uint256(type(uint32).max) + 1000);
        (ok,) = isValid(messageFrom(c1));
        assertTrue(ok, "nor after it");
    }

    // ------------------------------------------------------------------ constructor and getters

    function test_constructor_storesConfiguration() public view {
        assertEq(core.currentCommitteeIndex(), 0, "index");
        assertEq(core.governanceChainId(), GOVERNANCE_CHAIN, "governance chain");
        assertEq(core.governanceContract(), GOVERNANCE_EMITTER, "governance emitter");
        assertEq(core.expiryWindow(), WINDOW, "expiry window");
        assertEq(core.getGuardianSetExpiry(), WINDOW, "expiry window (Wormhole getter)");
        assertEq(core.chainId(), THIS_CHAIN, "chain id");
        assertEq(bytes32(core.committeeKeyHash(0)), bytes32(bytes28(keccak256(abi.encodePacked(c0.members)))), "key hash");
        assertEq(bytes32(core.committeeKeyHash(1)), bytes32(0), "no committee 1 yet");
        assertEq(core.committeeMembers(1).length, 0, "no committee 1 yet");
    }

    function test_constructor_rejectsBadCommittees() public {
        vm.expectRevert(bytes("new guardian set is empty"));
        new VigilCore(0, new address[](0), 1, GOVERNANCE_EMITTER, WINDOW, 2);

        address[] memory zero = new address[](2);
        zero[0] = address(1);
        vm.expectRevert(bytes("Invalid key"));
        new VigilCore(0, zero, 1, GOVERNANCE_EMITTER, WINDOW, 2);

        address[] memory dup = new address[](2);
        (dup[0], dup[1]) = (address(1), address(1));
        vm.expectRevert(bytes("duplicate key"));
        new VigilCore(0, dup, 1, GOVERNANCE_EMITTER, WINDOW, 2);

        address[] memory big = new address[](256);
        for (uint256 i = 0; i < 256; i++) big[i] = address(uint160(i + 1));
        vm.expectRevert(bytes("guardian set too large"));
        new VigilCore(0, big, 1, GOVERNANCE_EMITTER, WINDOW, 2);
    }

    function test_constructor_acceptsLargestCommittee() public {
        address[] memory m = new address[](255);
        for (uint256 i = 0; i < 255; i++) m[i] = address(uint160(i + 1));
        VigilCore c = new VigilCore(9, m, 1, GOVERNANCE_EMITTER, WINDOW, 2);
        assertEq(c.committeeMembers(9).length, 255, "255 members");
        assertEq(c.currentCommitteeIndex(), 9, "initial index");
    }
}
