// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommitteeFixture} from "./utils/CommitteeFixture.sol";
import {VigilCore} from "../src/VigilCore.sol";
import {Vm} from "./utils/Vm.sol";

/// The source side: publishMessage numbers each sender's messages and emits LogMessagePublished.
contract VigilCorePublishTest is CommitteeFixture {
    event LogMessagePublished(address indexed sender, uint64 sequence, uint32 nonce, bytes payload, uint8 consistencyLevel);

    VigilCore internal core;
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);

    function setUp() public {
        core = deployCore(makeCommittee(0, 1, 1));
    }

    function test_numbersEachSendersMessagesFromZero() public {
        assertEq(core.nextSequence(ALICE), 0, "nothing published yet");
        vm.prank(ALICE);
        assertEq(core.publishMessage(1, "a0", 200), 0, "alice's first");
        vm.prank(ALICE);
        assertEq(core.publishMessage(1, "a1", 200), 1, "alice's second");
        vm.prank(BOB);
        assertEq(core.publishMessage(1, "b0", 200), 0, "bob counts on his own");
        vm.prank(ALICE);
        assertEq(core.publishMessage(1, "a2", 200), 2, "alice's third");
        assertEq(core.nextSequence(ALICE), 3, "alice's next");
        assertEq(core.nextSequence(BOB), 1, "bob's next");
    }

    function test_emitsLogMessagePublished() public {
        vm.prank(ALICE);
        core.publishMessage(0, "", 1);
        vm.expectEmit(true, false, false, true, address(core));
        emit LogMessagePublished(ALICE, 1, 77, hex"c0ffee", 201);
        vm.prank(ALICE);
        core.publishMessage(77, hex"c0ffee", 201);
    }

    function test_emitsExactlyOneLogWithWormholesTopicAndLayout() public {
        vm.recordLogs();
        vm.prank(BOB);
        core.publishMessage(5, hex"0102", 200);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one log per message");
        assertEq(logs[0].emitter, address(core), "emitted by the core contract");
        assertEq(logs[0].topics.length, 2, "event topic + indexed sender");
        assertEq(
            logs[0].topics[0],
            0x6eb224fb001ed210e379b335e35efe88672a8ce935d981a6896b27ffdf52a3b2,
            "same event signature hash as Wormhole's core contract"
        );
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(BOB))), "sender");
        assertEq(logs[0].data, abi.encode(uint64(0), uint32(5), hex"0102", uint8(200)), "sequence, nonce, payload, level");
    }

    function test_rejectsValue() public {
        vm.deal(ALICE, 1 ether);
        vm.prank(ALICE);
        vm.expectRevert(bytes("invalid fee"));
        core.publishMessage{value: 1}(0, "", 1);
        assertEq(core.messageFee(), 0, "fee is zero");
    }

    function testFuzz_sequenceCountsCalls(uint8 count, address sender) public {
        count = uint8(bound(count, 0, 40));
        for (uint256 i = 0; i < count; i++) {
            vm.prank(sender);
            assertEq(core.publishMessage(uint32(i), abi.encode(i), 200), i, "sequence");
        }
        assertEq(core.nextSequence(sender), count, "next sequence");
    }
}
