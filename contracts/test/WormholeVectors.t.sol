// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommitteeFixture} from "./utils/CommitteeFixture.sol";
import {VigilCore} from "../src/VigilCore.sol";
import {IVigilCore} from "../src/IVigilCore.sol";
import {WormholeMainnet} from "./utils/WormholeMainnet.sol";

/// Real Wormhole mainnet data: VigilCore installed with guardian set 4 as committee 4 accepts
/// real mainnet VAAs and rotates to set 5 with the real guardian-set upgrade.
/// The data is in utils/WormholeMainnet.sol, the same data as signing/src/test/resources/vectors/.
contract WormholeVectorsTest is CommitteeFixture {
    VigilCore internal core;

    function setUp() public {
        vm.warp(1_780_000_000);
        core = new VigilCore(4, WormholeMainnet.guardianSet4(), 1, bytes32(uint256(4)), 86400, 2);
    }

    function test_acceptsMainnetTokenBridgeTransfer() public view {
        (IVigilCore.VM memory v, bool ok, string memory reason) = core.parseAndVerifyVM(WormholeMainnet.suiTransferVaa());
        assertEq(reason, "", "reason");
        assertTrue(ok, "real mainnet VAA verifies against guardian set 4");
        assertEq(v.hash, WormholeMainnet.SUI_TRANSFER_DIGEST, "digest as in the vector file");
        assertEq(v.guardianSetIndex, 4, "guardian set index");
        assertEq(v.signatures.length, 13, "13 signatures");
        assertEq(v.emitterChainId, 21, "emitter chain: Sui");
        assertEq(v.emitterAddress, 0xccceeb29348f71bdd22ffef43a2a19c1f5b5e17c5cca5411529120182672ade5, "Sui token bridge");
        assertEq(v.sequence, 196444, "sequence");
        assertEq(v.timestamp, 1736284104, "timestamp");
        assertEq(v.payload.length, 133, "payload length");
        assertEq(uint8(v.payload[0]), 1, "token bridge transfer payload");

        (bool ok2, string memory reason2, bytes32 digest) = core.verifyAttestation(WormholeMainnet.suiTransferVaa(), WormholeMainnet.guardianSet4());
        assertEq(reason2, "", "reason (calldata members)");
        assertTrue(ok2, "valid (calldata members)");
        assertEq(digest, WormholeMainnet.SUI_TRANSFER_DIGEST, "digest (calldata members)");
    }

    function test_acceptsMainnetGuardianSetUpgradeAsAnAttestation() public view {
        (IVigilCore.VM memory v, bool ok, string memory reason) = core.parseAndVerifyVM(WormholeMainnet.upgradeVaa());
        assertEq(reason, "", "reason");
        assertTrue(ok, "the upgrade VAA verifies against guardian set 4");
        assertEq(v.hash, WormholeMainnet.UPGRADE_DIGEST, "digest as in the vector file");
        assertEq(v.emitterChainId, 1, "governance chain");
        assertEq(v.emitterAddress, bytes32(uint256(4)), "governance emitter");
    }

    function test_mainnetUpgradeRotatesToGuardianSet5() public {
        core.submitNewGuardianSet(WormholeMainnet.upgradeVaa());
        assertEq(core.currentCommitteeIndex(), 5, "rotated to 5");
        address[] memory set5 = core.committeeMembers(5);
        assertEq(set5.length, 19, "19 guardians");
        bytes memory packed = WormholeMainnet.guardianSet5Packed();
        for (uint256 i = 0; i < 19; i++) {
            assertEq(set5[i], address(bytes20(slice20(packed, 20 * i))), "guardian in payload order");
        }
        assertEq(bytes32(core.committeeKeyHash(5)), bytes32(bytes28(keccak256(abi.encodePacked(set5)))), "key hash of set 5");
        assertTrue(core.governanceActionIsConsumed(WormholeMainnet.UPGRADE_DIGEST), "upgrade consumed");
        assertEq(core.committeeExpiry(4), block.timestamp + 86400, "set 4 expires in 24 h");

        // set 4 keeps verifying for the window, then stops
        (, bool ok,) = core.parseAndVerifyVM(WormholeMainnet.suiTransferVaa());
        assertTrue(ok, "set 4 still valid inside the window");
        vm.warp(block.timestamp + 86400);
        (, bool ok2, string memory reason) = core.parseAndVerifyVM(WormholeMainnet.suiTransferVaa());
        assertFalse(ok2, "set 4 expired");
        assertEq(reason, "guardian set has expired", "reason");

        vm.expectRevert(bytes("guardian set has expired"));
        core.submitNewGuardianSet(WormholeMainnet.upgradeVaa());
    }

    function test_mainnetUpgradeCannotBeReplayed() public {
        core.submitNewGuardianSet(WormholeMainnet.upgradeVaa());
        vm.expectRevert(bytes("not signed by current guardian set"));
        core.submitNewGuardianSet(WormholeMainnet.upgradeVaa());
    }

    function test_mainnetUpgradeIsRejectedFromAnotherGovernanceEmitter() public {
        VigilCore other = new VigilCore(4, WormholeMainnet.guardianSet4(), 1, bytes32(uint256(5)), 86400, 2);
        vm.expectRevert(bytes("wrong governance contract"));
        other.submitNewGuardianSet(WormholeMainnet.upgradeVaa());
    }

    function test_mainnetVaaIsRejectedByAnotherCommittee() public {
        address[] memory m = WormholeMainnet.guardianSet4();
        (m[0], m[1]) = (m[1], m[0]);
        VigilCore swapped = new VigilCore(4, m, 1, bytes32(uint256(4)), 86400, 2);
        (, bool ok, string memory reason) = swapped.parseAndVerifyVM(WormholeMainnet.suiTransferVaa());
        assertFalse(ok, "members in the wrong order");
        assertEq(reason, "VM signature invalid", "reason");
    }

    function slice20(bytes memory data, uint256 pos) internal pure returns (bytes20 w) {
        assembly {
            w := mload(add(add(data, 0x20), pos))
        }
    }
}
