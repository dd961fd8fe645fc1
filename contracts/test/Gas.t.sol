// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommitteeFixture, VigilCore} from "./utils/CommitteeFixture.sol";
import {console} from "./utils/Test.sol";
import {IVigilCore} from "../src/IVigilCore.sol";

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

    function test_gas_19of19_and_1of1() public {
        report(19, 19, 100);
        report(1, 1, 100);
    }
}
