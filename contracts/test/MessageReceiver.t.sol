// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {FrostFixture} from "./utils/FrostFixture.sol";
import {Vm} from "./utils/Vm.sol";
import {VigilCore} from "../src/VigilCore.sol";
import {MessageReceiver} from "../src/MessageReceiver.sol";

/// The example destination app: registered emitters only, each message once, payload recorded.
/// Every case runs on both entry points (parseAndVerifyVM path and calldata-members path).
contract MessageReceiverTest is FrostFixture {
    event MessageReceived(
        bytes32 indexed digest, uint16 indexed emitterChain, bytes32 indexed emitterAddress, uint64 sequence, bytes payload
    );

    uint16 internal constant SOURCE_CHAIN = 6;
    bytes32 internal constant SOURCE_APP = bytes32(uint256(0x5eed));

    VigilCore internal core;
    MessageReceiver internal receiver;
    TestCommittee internal c4;
    bytes internal body;
    bytes internal att;

    function setUp() public {
        c4 = makeCommittee(0, 4, 21);
        core = deployCore(c4);
        receiver = new MessageReceiver(core);
        receiver.registerEmitter(SOURCE_CHAIN, SOURCE_APP);
        body = makeBody(SOURCE_CHAIN, SOURCE_APP, 3, "transfer 10 to bob");
        att = attestFirst(c4, 3, body);
    }

    function deliver(bool cheap, bytes memory a) internal returns (bytes32) {
        return cheap ? receiver.receiveMessageWithCommittee(a, c4.members) : receiver.receiveMessage(a);
    }

    function expectDeliveryRevert(bool cheap, bytes memory a, string memory reason) internal {
        vm.expectRevert(bytes(reason));
        deliver(cheap, a);
    }

    function checkExecutesOnceAndRecordsPayload(bool cheap) internal {
        bytes32 digest = digestOf(body);
        vm.expectEmit(true, true, true, true, address(receiver));
        emit MessageReceived(digest, SOURCE_CHAIN, SOURCE_APP, 3, "transfer 10 to bob");
        assertEq(deliver(cheap, att), digest, "returns the digest");
        assertTrue(receiver.isExecuted(digest), "executed");
        assertEq(receiver.payloadOf(digest), bytes("transfer 10 to bob"), "payload recorded");
        assertEq(receiver.receivedCount(), 1, "count");

        expectDeliveryRevert(cheap, att, "message already executed");
        // the same message signed by another quorum has the same digest: still a replay
        expectDeliveryRevert(cheap, attest(c4, list(1, 2, 3), body), "message already executed");
        expectDeliveryRevert(!cheap, att, "message already executed");
        assertEq(receiver.receivedCount(), 1, "executed once");
    }

    function test_executesOnceAndRecordsPayload() public {
        checkExecutesOnceAndRecordsPayload(false);
    }

    function test_executesOnceAndRecordsPayload_calldataMembers() public {
        checkExecutesOnceAndRecordsPayload(true);
    }

    function test_rejectsUnregisteredEmitter() public {
        for (uint256 k = 0; k < 2; k++) {
            bool cheap = k == 1;
            expectDeliveryRevert(cheap, attestFirst(c4, 3, makeBody(SOURCE_CHAIN, bytes32(uint256(0xbad)), 3, "x")), "emitter not registered");
            expectDeliveryRevert(cheap, attestFirst(c4, 3, makeBody(SOURCE_CHAIN + 1, SOURCE_APP, 3, "x")), "emitter not registered");
            // chain 0 has no registration: a zero emitter address must not match the empty slot
            expectDeliveryRevert(cheap, attestFirst(c4, 3, makeBody(0, bytes32(0), 3, "x")), "emitter not registered");
        }
        assertEq(receiver.receivedCount(), 0, "nothing executed");
    }

    function test_rejectsInvalidAttestationWithCoresReason() public {
        for (uint256 k = 0; k < 2; k++) {
            bool cheap = k == 1;
            expectDeliveryRevert(cheap, attestFirst(c4, 2, body), "no quorum");
            expectDeliveryRevert(cheap, withByte(att, att.length - 1, 0x21), "VM signature invalid");
            expectDeliveryRevert(cheap, hex"01", "VM truncated");
        }
        vm.expectRevert(bytes("committee keys do not match"));
        receiver.receiveMessageWithCommittee(att, makeCommittee(0, 4, 99).members);
        assertEq(receiver.receivedCount(), 0, "nothing executed");
    }

    function test_onlyOwnerRegistersEmitters() public {
        vm.prank(address(0xdead));
        vm.expectRevert(bytes("only owner"));
        receiver.registerEmitter(9, bytes32(uint256(1)));
        assertEq(receiver.registeredEmitters(9), bytes32(0), "not registered");
    }

    /// Source chain to destination: an app publishes through VigilCore, the committee signs what
    /// the event says, the receiver executes it.
    function test_endToEnd_publishAttestDeliver() public {
        address app = address(0xA99);
        bytes32 appAsEmitter = bytes32(uint256(uint160(app)));
        receiver.registerEmitter(THIS_CHAIN, appAsEmitter);

        vm.recordLogs();
        vm.prank(app);
        core.publishMessage(11, "cross-chain hello", 200);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one event");
        (uint64 sequence, uint32 nonce, bytes memory payload, uint8 level) =
            abi.decode(logs[0].data, (uint64, uint32, bytes, uint8));
        address sender = address(uint160(uint256(logs[0].topics[1])));

        bytes memory observed = abi.encodePacked(
            uint32(block.timestamp), nonce, THIS_CHAIN, bytes32(uint256(uint160(sender))), sequence, level, payload
        );
        bytes32 digest = receiver.receiveMessage(attestFirst(c4, 4, observed));
        assertEq(receiver.payloadOf(digest), bytes("cross-chain hello"), "delivered payload");
    }

    /// Threshold mode: receiveMessage takes an attestation v2 too, verified by the group key.
    function test_v2_executesOnce_sharesReplayProtectionWithV1() public {
        GroupKey memory g = makeGroupKey(5);
        core.submitGroupKey(attestFirst(c4, 3, governanceBody(groupKeyPayload(0, g))));
        bytes memory v2 = attestV2(g, 0, body, 9);
        bytes32 digest = digestOf(body);
        vm.expectEmit(true, true, true, true, address(receiver));
        emit MessageReceived(digest, SOURCE_CHAIN, SOURCE_APP, 3, "transfer 10 to bob");
        assertEq(receiver.receiveMessage(v2), digest, "returns the digest");
        assertEq(receiver.payloadOf(digest), bytes("transfer 10 to bob"), "payload recorded");
        // the same message as v1 or v2 again: one digest, one execution
        expectDeliveryRevert(false, v2, "message already executed");
        expectDeliveryRevert(false, att, "message already executed");
        expectDeliveryRevert(true, att, "message already executed");
        assertEq(receiver.receivedCount(), 1, "executed once");
    }

    function test_v2_rejectsWithCoresReason() public {
        GroupKey memory g = makeGroupKey(5);
        bytes memory v2 = attestV2(g, 0, body, 9);
        expectDeliveryRevert(false, v2, "no group key for this index");
        core.submitGroupKey(attestFirst(c4, 3, governanceBody(groupKeyPayload(0, g))));
        expectDeliveryRevert(false, withByte(v2, v2.length - 1, 0x21), "VM signature invalid");
        expectDeliveryRevert(false, hex"02", "VM truncated");
        expectDeliveryRevert(false, attestV2(g, 0, makeBody(SOURCE_CHAIN, bytes32(uint256(0xbad)), 3, "x"), 9), "emitter not registered");
        assertEq(receiver.receivedCount(), 0, "nothing executed");
    }
}
