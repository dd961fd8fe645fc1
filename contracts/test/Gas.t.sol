// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommitteeFixture, VigilCore} from "./utils/CommitteeFixture.sol";
import {console} from "./utils/Test.sol";
import {IVigilCore} from "../src/IVigilCore.sol";
import {WormholeMainnet} from "./utils/WormholeMainnet.sol";
import {VigilStaking} from "../src/VigilStaking.sol";

/// Prints the execution gas of verifying one attestation, as a contract calling VigilCore pays
/// it: from a cold account and cold storage (vm.cool), including the CALL itself, excluding the
/// transaction's base cost and calldata. Print with:
///   forge test --match-contract GasReport -vv
/// The targets of the issue are checked, so a change that loses them fails the build.
contract GasReportTest is CommitteeFixture {
    /// Wormhole's core contract on Ethereum mainnet, parseAndVerifyVM with 13 signatures.
    uint256 internal constant WORMHOLE_MAINNET_13_SIGS = 134_689;
    uint256 internal constant CHEAP_PATH_TARGET_13_OF_19 = 55_000;

    function measure(VigilCore core, bytes memory callData) internal returns (uint256 used) {
        vm.cool(address(core));
        uint256 before = gasleft();
        (bool ok, bytes memory ret) = address(core).staticcall(callData);
        used = before - gasleft();
        require(ok, "call reverted");
        // both functions return (..., bool valid, ...); check the figure is for a valid attestation
        bool valid;
        if (bytes4(callData) == VigilCore.parseAndVerifyVM.selector) (, valid,) = abi.decode(ret, (IVigilCore.VM, bool, string));
        else (valid,,) = abi.decode(ret, (bool, string, bytes32));
        require(valid, "measured attestation must be valid");
    }

    function report(uint256 size, uint256 signers, uint256 payloadLength)
        internal
        returns (uint256 stored, uint256 calldataMembers)
    {
        TestCommittee memory c = makeCommittee(0, size, size);
        VigilCore core = deployCore(c);
        bytes memory att = attestFirst(c, signers, makeBody(2, bytes32(uint256(1)), 1, new bytes(payloadLength)));
        stored = measure(core, abi.encodeCall(core.parseAndVerifyVM, (att)));
        calldataMembers = measure(core, abi.encodeCall(core.verifyAttestation, (att, c.members)));
        string memory label = string.concat(vm.toString(signers), " of ", vm.toString(size), ", payload ", vm.toString(payloadLength), " B");
        console.log(string.concat("parseAndVerifyVM  ", label), stored);
        console.log(string.concat("verifyAttestation ", label), calldataMembers);
    }

    function test_gas_13of19() public {
        (uint256 stored, uint256 given) = report(19, 13, 100);
        assertLt(stored, WORMHOLE_MAINNET_13_SIGS, "parseAndVerifyVM must beat Wormhole's 134,689");
        assertLe(given, CHEAP_PATH_TARGET_13_OF_19, "cheapest path must stay within 55,000");
    }

    function test_gas_3of4() public {
        report(4, 3, 100);
    }

    /// A real Wormhole mainnet VAA (13 of guardian set 4's 19), the case of the 134,689 reference.
    function test_gas_wormholeMainnetVaa() public {
        VigilCore core = new VigilCore(4, WormholeMainnet.guardianSet4(), 1, bytes32(uint256(4)), 86400, 2);
        bytes memory vaa = WormholeMainnet.suiTransferVaa();
        uint256 stored = measure(core, abi.encodeCall(core.parseAndVerifyVM, (vaa)));
        uint256 given = measure(core, abi.encodeCall(core.verifyAttestation, (vaa, WormholeMainnet.guardianSet4())));
        console.log("parseAndVerifyVM  Wormhole mainnet VAA, 13 of 19, payload 133 B", stored);
        console.log("verifyAttestation Wormhole mainnet VAA, 13 of 19, payload 133 B", given);
        assertLt(stored, WORMHOLE_MAINNET_13_SIGS, "parseAndVerifyVM must beat Wormhole's 134,689");
        assertLe(given, CHEAP_PATH_TARGET_13_OF_19, "cheapest path must stay within 55,000");
    }

    /// Rotation with the real guardian-set upgrade (13 signatures, 19 new members), a transaction
    /// of its own: the figure includes the new committee's data contract (CREATE + code deposit).
    function test_gas_rotation19() public {
        VigilCore core = new VigilCore(4, WormholeMainnet.guardianSet4(), 1, bytes32(uint256(4)), 86400, 2);
        bytes memory vaa = WormholeMainnet.upgradeVaa();
        vm.cool(address(core));
        uint256 before = gasleft();
        core.submitNewGuardianSet(vaa);
        console.log("submitNewGuardianSet Wormhole mainnet upgrade, 13 of 19 -> 19 members", before - gasleft());
        assertEq(core.currentCommitteeIndex(), 5, "rotated");
    }

    function test_gas_19of19_and_1of1() public {
        report(19, 19, 100);
        report(1, 1, 100);
    }

    /// Equivocation evidence against member 7 of a committee of 19 (bodies with a 100-byte
    /// payload) that has stake behind it from two delegators and an unbond request: the whole
    /// slash, with the reporter's reward paid in ETH to a funded account. Cold accounts and storage.
    function test_gas_submitEquivocation() public {
        TestCommittee memory c = makeCommittee(0, 19, 19);
        VigilCore core = deployCore(c);
        VigilStaking staking = new VigilStaking(address(core), address(0), 7 days, 5000, 1000);
        address guardian = c.members[7];
        address alice = address(0xA11CE);
        address reporter = address(0x5E9047E2);
        vm.deal(alice, 10 ether);
        vm.deal(reporter, 1 ether);
        vm.prank(alice);
        staking.delegate{value: 6 ether}(guardian, 6 ether);
        vm.prank(alice);
        staking.requestUnbond(guardian, 2 ether);
        staking.delegate{value: 4 ether}(guardian, 4 ether);
        bytes memory bodyA = makeBody(2, bytes32(uint256(1)), 1, new bytes(100));
        bytes memory bodyB = makeBody(2, bytes32(uint256(1)), 1, abi.encodePacked(new bytes(99), uint8(1)));
        bytes memory sigA = signature(c.keys[7], bodyA);
        bytes memory sigB = signature(c.keys[7], bodyB);

        vm.cool(address(core));
        vm.cool(address(staking));
        vm.cool(reporter);
        vm.prank(reporter);
        uint256 before = gasleft();
        uint256 slashed = staking.submitEquivocation(0, 7, bodyA, sigA, bodyB, sigB);
        uint256 used = before - gasleft();
        console.log("submitEquivocation 19 members, payload 100 B, slash with ETH reward", used);
        assertEq(slashed, 5 ether, "half of the 10 ether behind the guardian");
    }

    function signature(uint256 key, bytes memory body) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digestOf(body));
        return abi.encodePacked(r, s, v - 27);
    }
}
