// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Vm} from "./Vm.sol";

/// Minimal stand-in for forge-std's Test: the cheatcode handle, assertions that revert with a
/// message (forge reports a reverting test as failed), `bound` for fuzz inputs, and console logs.
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    bool public constant IS_TEST = true;

    function assertTrue(bool c, string memory err) internal pure { vm.assertTrue(c, err); }
    function assertFalse(bool c, string memory err) internal pure { vm.assertFalse(c, err); }
    function assertEq(uint256 a, uint256 b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertEq(bytes32 a, bytes32 b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertEq(address a, address b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertEq(bool a, bool b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertEq(string memory a, string memory b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertEq(bytes memory a, bytes memory b, string memory err) internal pure { vm.assertEq(a, b, err); }
    function assertLt(uint256 a, uint256 b, string memory err) internal pure { vm.assertLt(a, b, err); }
    function assertLe(uint256 a, uint256 b, string memory err) internal pure { vm.assertLe(a, b, err); }

    /// Maps any x into [lo, hi] without rejecting runs (as forge-std's bound does).
    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        require(lo <= hi, "bound: lo > hi");
        if (lo == 0 && hi == type(uint256).max) return x;
        return lo + x % (hi - lo + 1);
    }
}

/// console.log through the address forge decodes and prints (hardhat's console ABI).
library console {
    address internal constant CONSOLE = 0x000000000000000000636F6e736F6c652e6c6f67;

    function log(string memory s) internal view { _send(abi.encodeWithSignature("log(string)", s)); }
    function log(string memory s, uint256 v) internal view { _send(abi.encodeWithSignature("log(string,uint256)", s, v)); }
    function log(string memory s, uint256 a, uint256 b) internal view { _send(abi.encodeWithSignature("log(string,uint256,uint256)", s, a, b)); }

    function _send(bytes memory payload) private view {
        (bool ok,) = CONSOLE.staticcall(payload);
        ok; // the console address has no code outside forge; nothing to do either way
    }
}
