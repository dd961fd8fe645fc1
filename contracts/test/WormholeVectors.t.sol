// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommitteeFixture} from "./utils/CommitteeFixture.sol";
import {VigilCore} from "../src/VigilCore.sol";
import {IVigilCore} from "../src/IVigilCore.sol";

/// Real Wormhole mainnet data: VigilCore installed with guardian set 4 as committee 4 accepts
/// real mainnet VAAs and rotates to set 5 with the real guardian-set upgrade.
/// Sources (copied verbatim): shared/vectors/wormhole-guardian-set-4.txt and
/// shared/vectors/wormhole-mainnet-vaas.tsv (rows guardian-set-upgrade-4-to-5 and
/// sui-token-bridge-transfer-seq-196444).
contract WormholeVectorsTest is CommitteeFixture {
    bytes32 internal constant UPGRADE_DIGEST = 0xd24825e069afce111d7f98069e4749614c408191bf660409208bda3aa5bb3b44;
    bytes32 internal constant SUI_TRANSFER_DIGEST = 0xb7a23481dd6a24e6b912d0abef6fee0dff0eeb89fe944af75ff98ebc35e9ba72;

    VigilCore internal core;

    function setUp() public {
        vm.warp(1_780_000_000);
        core = new VigilCore(4, guardianSet4(), 1, bytes32(uint256(4)), 86400, 2);
    }

    function guardianSet4() internal pure returns (address[] memory m) {
        m = new address[](19);
        m[0] = 0x5893B5A76c3f739645648885bDCcC06cd70a3Cd3;
        m[1] = 0xfF6CB952589BDE862c25Ef4392132fb9D4A42157;
        m[2] = 0x114De8460193bdf3A2fCf81f86a09765F4762fD1;
        m[3] = 0x107A0086b32d7A0977926A205131d8731D39cbEB;
        m[4] = 0x8C82B2fd82FaeD2711d59AF0F2499D16e726f6b2;
        m[5] = 0x11b39756C042441BE6D8650b69b54EbE715E2343;
        m[6] = 0x54Ce5B4D348fb74B958e8966e2ec3dBd4958a7cd;
        m[7] = 0x15e7cAF07C4e3DC8e7C469f92C8Cd88FB8005a20;
        m[8] = 0x74a3bf913953D695260D88BC1aA25A4eeE363ef0;
        m[9] = 0x000aC0076727b35FBea2dAc28fEE5cCB0fEA768e;
        m[10] = 0xAF45Ced136b9D9e24903464AE889F5C8a723FC14;
        m[11] = 0xf93124b7c738843CBB89E864c862c38cddCccF95;
        m[12] = 0xD2CC37A4dc036a8D232b48f62cDD4731412f4890;
        m[13] = 0xDA798F6896A3331F64b48c12D1D57Fd9cbe70811;
        m[14] = 0x71AA1BE1D36CaFE3867910F99C09e347899C19C3;
        m[15] = 0x8192b6E7387CCd768277c17DAb1b7a5027c0b3Cf;
        m[16] = 0x178e21ad2E77AE06711549CFBB1f9c7a9d8096e8;
        m[17] = 0x5E1487F35515d02A92753504a8D75471b9f49EdB;
        m[18] = 0x6FbEBc898F403E4773E95feB15E80C9A99c8348d;
    }

    function upgradeVaa() internal pure returns (bytes memory) {
        return bytes.concat(
            hex"01000000040d00ada3cbcc53ec9abef64822eb3bf61784a1cf36dd7975a6f1fa793dfd35cd5b865b0b8daf6e7eec309d"
            hex"870423c5a5b7898cd56933ca82c824941d932766a014a70001b7731ff820ad5b3f97972428a81c8c8b1c55a42e8ae55f"
            hex"46a95ee7423fd4074b3f03c609cfff926a096fe642a1c939d7946972e1bea2bce02b40b766eb5b23e1010321738f8fb6"
            hex"8652f1bb485b171badc3b0d347ad3cbcdc95aad0119020a5f1d46d1d9d92fd423a345b0f2ab2a722a25cace96acca0d1"
            hex"c4f2c839285ed06a6f0fb20104e67cedf1d48251817accb73647b0d16e1d565d1951baf62b1654b0bb26d516992df131"
            hex"dfdefcc499a41b7a49dead0cb03498ef6108018d88ab5c80397a83432401057f6a06e6d10f5d6cd84b552e866abc58c9"
            hex"899bb2a68956eaafca5988c19e8fc979a1d530636f1f897fb039d108d0b7fd4fde8679f75244cf3e10ffd1f605190c01"
            hex"0675dac57d998d88ea80ad7078b6bf88d73abe8ed2ca960a17736c9a7dbfa168fa1c843b7e43883a0a15d0884bf2a397"
            hex"acacef142da51eec01bac331bd6e3aeb160008391dc0b9eed3fadc57528f2c32a6a060833aced6d617b95d39ea00300c"
            hex"a3e15951b175d1da741d31293d3bbedd1826d708675feb3bce56c58535592cdd4a5592000a8f30bde711c2d2b7e7f453"
            hex"be7a42b8da724008a34597c329c3989ecdd4f368f50d61b7b8c4c7d9f46e28334c4185d03284d90552b1f98cf0cd82c6"
            hex"3fb5ecab63000cf67fb4e05463c3982a2379d1f779ad4364ba6ca5b240de82af4affc4c6ee58a52a972e21bbb254f15a"
            hex"4ea74cb511e32f06c021d9e774b34526e681dfa3537593000ea13cf78e719c7238fceb16f6fa1eb08de4c516b3e4c491"
            hex"b63382fdf3df5199543183c1ca67625178fb341484f58a18379bad73625637f0b64bae6b676b89033d000f8e4cfb95d0"
            hex"1f4f84bf249038f64c10fb2d94f3a0429b01f853665deeebeae5e47e9d93926c97e1925b4be373e6ef96a606bc032b27"
            hex"a1bbcef95caa5c4f24dea0011111a9fc56e090fb01a739611ca9fd3de40ec53eeeb833e2b4fbab2dfdc176d60c734532"
            hex"248f2b2e5e0fbee8408245a8ca5d57440c6d596e981ade750a6e17928a011296e2fd4197141394987d06218f7b99b709"
            hex"adfb9e0511a177f9bfde8e7fbe1d4b55b9e4c2af3a70d2f73d6df12c3a60e6a677d476ff4393b9779f2735dbcd36e801"
            hex"69b6aee4a49c205b00010000000000000000000000000000000000000000000000000000000000000004fcdad9b63b91"
            hex"b4422000000000000000000000000000000000000000000000000000000000436f726502000000000005135893b5a76c"
            hex"3f739645648885bdccc06cd70a3cd3ff6cb952589bde862c25ef4392132fb9d4a42157114de8460193bdf3a2fcf81f86"
            hex"a09765f4762fd1107a0086b32d7a0977926a205131d8731d39cbeb8c82b2fd82faed2711d59af0f2499d16e726f6b211"
            hex"b39756c042441be6d8650b69b54ebe715e2343938f104aeb5581293216ce97d771e0cb721221b115e7caf07c4e3dc8e7"
            hex"c469f92c8cd88fb8005a2074a3bf913953d695260d88bc1aa25a4eee363ef0000ac0076727b35fbea2dac28fee5ccb0f"
            hex"ea768eaf45ced136b9d9e24903464ae889f5c8a723fc14f93124b7c738843cbb89e864c862c38cddcccf95d2cc37a4dc"
            hex"036a8d232b48f62cdd4731412f4890da798f6896a3331f64b48c12d1d57fd9cbe70811d1f64e26238811de5553c40f64"
            hex"af41ee1b6057cc43ac8f567a31e7850da532b361988bfe0d3ae11b178e21ad2e77ae06711549cfbb1f9c7a9d8096e85e"
            hex"1487f35515d02a92753504a8d75471b9f49edb6fbebc898f403e4773e95feb15e80c9a99c8348d"
        );
    }

    function suiTransferVaa() internal pure returns (bytes memory) {
        return bytes.concat(
            hex"01000000040d00bd6a8e2eeff4a9e78325f45712beddf08c56c7164cba185fc2f8f0d5aabaad961ab7077781f4c18734"
            hex"285e193968cb0f6a245e8063190203273c78a88adb4b3401010abaf61fa779719be7c55f85982b68f542c499a74e3f09"
            hex"203ab98ea8b741abf57be216e759882653a148074245b13240bcdfe99dc2d7d58926a4b2b7fcf55c5d0002f1600c792c"
            hex"7b23194c4e6f4237e5bb8b5ce4e2cf25ed95602c53253d792c0d3660fad680e33a1e17d48570e11681b9008fecd80a63"
            hex"2bc8daaa2ecb18920b01430103a729e2f7e4a3c858c91be882a416b1d93d7b6d20d0eeaceb48787b0c1e6a95c24077ab"
            hex"429a0961d0f19427a13787ee627bae744856fba15a5cb8f034905daaca0004383da978d7078ee70550990069ecd9ea2c"
            hex"56aa639320da09fa3fa75c7c0048c103cd02c82d7f4256c6f4be339679c321f656ca5b1fde4789ab1dbcf9f64d0b9a00"
            hex"062e977a07e8ce013c24aaaf64bbddedaa4386b27a42ff9f322ca769701291a7de5493aa8053856c231774c29e843dfc"
            hex"257bf3dc9ae59d9f7613e239c4e25a0d58000730d2b5ee26c5430130907d51480905e015b28905bcae0339fbe1e86dc2"
            hex"56aa8326994bc268d4a8507b7c08117c6700f0f58d4ad45cf980d9886eba6313e7a6dc0009ef384b7d4a87dbe8cf6c51"
            hex"9354c7329a874387ea13b0e2cd73cd5b3e99e9e6c45c671ded43fd3c15e834dbe390b59925939d6e467266aced688880"
            hex"a387605940010a86e2b903fdd968d3c4e673d0a85f59527760155fb17530695407e3fa7a9215f41c21151d1f551e68ef"
            hex"ac00060cc7491965beceef2615073880f53a9b83d9eacc000ceeefa00e4659964f8b3b73db6a5fb70c4a20d1af3a308f"
            hex"94ba4cd58dbe56ae8042e7b3fe695402668bd0d2a0b3ee5561c335486073d132f70014612900215043000d69a2328d09"
            hex"d506a3f201256fef7bd75663bc063aeb7188c86fc4e8474f5be9cf28923d899135f34b0b72dfa4ac78f427b3e50bd063"
            hex"0e23b6cb5e3da02389e8580011c6959182b8dc4a4ded7ab1adda5a9d7e91e936aa1028194e3bed3772fa00fd9c790afc"
            hex"98926b698abea98f294df16f3ca12a996f42058be70398083295f9f56b0012320bf47767c7ecc5634a923c1d6107d021"
            hex"a967813ff41f263ab3a9a7ec73369e08dfeb5947fa88d0605c8d39d32c2d129f09437eab0a7f30e9d46152eb27f8c100"
            hex"677d97c8000000000015ccceeb29348f71bdd22ffef43a2a19c1f5b5e17c5cca5411529120182672ade5000000000002"
            hex"ff5c00010000000000000000000000000000000000000000000000000000002e90edd000000000000000000000000000"
            hex"a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48000200000000000000000000000089cd4c4be4e5bff559517e25ac05"
            hex"d6c9ad01d89c00100000000000000000000000000000000000000000000000000000000000000000"
        );
    }

    /// The 19 addresses of guardian set 5, as the upgrade's payload lists them.
    function guardianSet5Packed() internal pure returns (bytes memory) {
        return bytes.concat(
            hex"5893b5a76c3f739645648885bdccc06cd70a3cd3ff6cb952589bde862c25ef4392132fb9d4a42157114de8460193bdf3"
            hex"a2fcf81f86a09765f4762fd1107a0086b32d7a0977926a205131d8731d39cbeb8c82b2fd82faed2711d59af0f2499d16"
            hex"e726f6b211b39756c042441be6d8650b69b54ebe715e2343938f104aeb5581293216ce97d771e0cb721221b115e7caf0"
            hex"7c4e3dc8e7c469f92c8cd88fb8005a2074a3bf913953d695260d88bc1aa25a4eee363ef0000ac0076727b35fbea2dac2"
            hex"8fee5ccb0fea768eaf45ced136b9d9e24903464ae889f5c8a723fc14f93124b7c738843cbb89e864c862c38cddcccf95"
            hex"d2cc37a4dc036a8d232b48f62cdd4731412f4890da798f6896a3331f64b48c12d1d57fd9cbe70811d1f64e26238811de"
            hex"5553c40f64af41ee1b6057cc43ac8f567a31e7850da532b361988bfe0d3ae11b178e21ad2e77ae06711549cfbb1f9c7a"
            hex"9d8096e85e1487f35515d02a92753504a8d75471b9f49edb6fbebc898f403e4773e95feb15e80c9a99c8348d"
        );
    }

    function test_acceptsMainnetTokenBridgeTransfer() public view {
        (IVigilCore.VM memory v, bool ok, string memory reason) = core.parseAndVerifyVM(suiTransferVaa());
        assertEq(reason, "", "reason");
        assertTrue(ok, "real mainnet VAA verifies against guardian set 4");
        assertEq(v.hash, SUI_TRANSFER_DIGEST, "digest as in the vector file");
        assertEq(v.guardianSetIndex, 4, "guardian set index");
        assertEq(v.signatures.length, 13, "13 signatures");
        assertEq(v.emitterChainId, 21, "emitter chain: Sui");
        assertEq(v.emitterAddress, 0xccceeb29348f71bdd22ffef43a2a19c1f5b5e17c5cca5411529120182672ade5, "Sui token bridge");
        assertEq(v.sequence, 196444, "sequence");
        assertEq(v.timestamp, 1736284104, "timestamp");
        assertEq(v.payload.length, 133, "payload length");
        assertEq(uint8(v.payload[0]), 1, "token bridge transfer payload");

        (bool ok2, string memory reason2, bytes32 digest) = core.verifyAttestation(suiTransferVaa(), guardianSet4());
        assertEq(reason2, "", "reason (calldata members)");
        assertTrue(ok2, "valid (calldata members)");
        assertEq(digest, SUI_TRANSFER_DIGEST, "digest (calldata members)");
    }

    function test_acceptsMainnetGuardianSetUpgradeAsAnAttestation() public view {
        (IVigilCore.VM memory v, bool ok, string memory reason) = core.parseAndVerifyVM(upgradeVaa());
        assertEq(reason, "", "reason");
        assertTrue(ok, "the upgrade VAA verifies against guardian set 4");
        assertEq(v.hash, UPGRADE_DIGEST, "digest as in the vector file");
        assertEq(v.emitterChainId, 1, "governance chain");
        assertEq(v.emitterAddress, bytes32(uint256(4)), "governance emitter");
    }

    function test_mainnetUpgradeRotatesToGuardianSet5() public {
        core.submitNewGuardianSet(upgradeVaa());
        assertEq(core.currentCommitteeIndex(), 5, "rotated to 5");
        address[] memory set5 = core.committeeMembers(5);
        assertEq(set5.length, 19, "19 guardians");
        bytes memory packed = guardianSet5Packed();
        for (uint256 i = 0; i < 19; i++) {
            assertEq(set5[i], address(bytes20(slice20(packed, 20 * i))), "guardian in payload order");
        }
        assertEq(bytes32(core.committeeKeyHash(5)), bytes32(bytes28(keccak256(abi.encodePacked(set5)))), "key hash of set 5");
        assertTrue(core.governanceActionIsConsumed(UPGRADE_DIGEST), "upgrade consumed");
        assertEq(core.committeeExpiry(4), block.timestamp + 86400, "set 4 expires in 24 h");

        // set 4 keeps verifying for the window, then stops
        (, bool ok,) = core.parseAndVerifyVM(suiTransferVaa());
        assertTrue(ok, "set 4 still valid inside the window");
        vm.warp(block.timestamp + 86400);
        (, bool ok2, string memory reason) = core.parseAndVerifyVM(suiTransferVaa());
        assertFalse(ok2, "set 4 expired");
        assertEq(reason, "guardian set has expired", "reason");

        vm.expectRevert(bytes("guardian set has expired"));
        core.submitNewGuardianSet(upgradeVaa());
    }

    function test_mainnetUpgradeCannotBeReplayed() public {
        core.submitNewGuardianSet(upgradeVaa());
        vm.expectRevert(bytes("not signed by current guardian set"));
        core.submitNewGuardianSet(upgradeVaa());
    }

    function test_mainnetUpgradeIsRejectedFromAnotherGovernanceEmitter() public {
        VigilCore other = new VigilCore(4, guardianSet4(), 1, bytes32(uint256(5)), 86400, 2);
        vm.expectRevert(bytes("wrong governance contract"));
        other.submitNewGuardianSet(upgradeVaa());
    }

    function test_mainnetVaaIsRejectedByAnotherCommittee() public {
        address[] memory m = guardianSet4();
        (m[0], m[1]) = (m[1], m[0]);
        VigilCore swapped = new VigilCore(4, m, 1, bytes32(uint256(4)), 86400, 2);
        (, bool ok, string memory reason) = swapped.parseAndVerifyVM(suiTransferVaa());
        assertFalse(ok, "members in the wrong order");
        assertEq(reason, "VM signature invalid", "reason");
    }

    function slice20(bytes memory data, uint256 pos) internal pure returns (bytes20 w) {
        assembly {
            w := mload(add(add(data, 0x20), pos))
        }
    }
}
