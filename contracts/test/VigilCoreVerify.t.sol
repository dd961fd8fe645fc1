// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommitteeFixture} from "./utils/CommitteeFixture.sol";
import {VigilCore} from "../src/VigilCore.sol";
import {IVigilCore} from "../src/IVigilCore.sol";

/// Attestation verification: every acceptance and rejection rule, on both paths
/// (parseAndVerifyVM with the stored committee, verifyAttestation with the members in calldata).
contract VigilCoreVerifyTest is CommitteeFixture {
    VigilCore internal core;
    TestCommittee internal c4;
    bytes internal body;
    bytes internal valid; // 3 of 4, signers 0, 1, 2

    function setUp() public {
        c4 = makeCommittee(0, 4, 1);
        core = deployCore(c4);
        body = makeBody(5, bytes32(uint256(0xabc)), 9, "hello vigil");
        valid = attestFirst(c4, 3, body);
    }

    // ------------------------------------------------------------------ helpers

    function assertAccepted(bytes memory att, address[] memory members) internal view {
        (, bool ok, string memory reason) = core.parseAndVerifyVM(att);
        assertEq(reason, "", "parseAndVerifyVM reason");
        assertTrue(ok, "parseAndVerifyVM valid");
        (bool ok2, string memory reason2,) = core.verifyAttestation(att, members);
        assertEq(reason2, "", "verifyAttestation reason");
        assertTrue(ok2, "verifyAttestation valid");
    }

    function assertRejected(bytes memory att, string memory expected) internal view {
        assertRejected(att, c4.members, expected);
    }

    function assertRejected(bytes memory att, address[] memory members, string memory expected) internal view {
        (, bool ok, string memory reason) = core.parseAndVerifyVM(att);
        assertFalse(ok, "parseAndVerifyVM must reject");
        assertEq(reason, expected, "parseAndVerifyVM reason");
        (bool ok2, string memory reason2,) = core.verifyAttestation(att, members);
        assertFalse(ok2, "verifyAttestation must reject");
        assertEq(reason2, expected, "verifyAttestation reason");
    }

    // ------------------------------------------------------------------ acceptance

    function test_accepts_quorumOf4_andParsesEveryField() public view {
        assertAccepted(valid, c4.members);
        (IVigilCore.VM memory vm_, bool ok,) = core.parseAndVerifyVM(valid);
        assertTrue(ok, "valid");
        assertEq(vm_.version, 1, "version");
        assertEq(vm_.guardianSetIndex, 0, "committee index");
        assertEq(vm_.timestamp, 1_700_000_000, "timestamp");
        assertEq(vm_.nonce, 42, "nonce");
        assertEq(vm_.emitterChainId, 5, "emitter chain");
        assertEq(vm_.emitterAddress, bytes32(uint256(0xabc)), "emitter address");
        assertEq(vm_.sequence, 9, "sequence");
        assertEq(vm_.consistencyLevel, 1, "consistency level");
        assertEq(vm_.payload, bytes("hello vigil"), "payload");
        assertEq(vm_.hash, digestOf(body), "hash is keccak256(keccak256(body))");
        assertEq(vm_.signatures.length, 3, "signature count");
        for (uint256 i = 0; i < 3; i++) {
            IVigilCore.Signature memory s = vm_.signatures[i];
            assertEq(s.guardianIndex, i, "signer index");
            assertTrue(s.v == 27 || s.v == 28, "v is shifted to 27/28 as in Wormhole");
            assertEq(ecrecover(vm_.hash, s.v, s.r, s.s), c4.members[i], "signature recovers to the member");
        }
    }

    function test_accepts_allFourSigners() public view {
        assertAccepted(attestFirst(c4, 4, body), c4.members);
    }

    function test_accepts_anyAscendingSubsetOfQuorumSize() public view {
        assertAccepted(attest(c4, list(0, 2, 3), body), c4.members);
        assertAccepted(attest(c4, list(1, 2, 3), body), c4.members);
    }

    function test_verifyAttestation_returnsDigest() public view {
        (bool ok,, bytes32 digest) = core.verifyAttestation(valid, c4.members);
        assertTrue(ok, "valid");
        assertEq(digest, digestOf(body), "digest");
    }

    function test_accepts_committeeOfOne() public {
        TestCommittee memory c1 = makeCommittee(0, 1, 7);
        VigilCore single = deployCore(c1);
        bytes memory att = attestFirst(c1, 1, body);
        (, bool ok,) = single.parseAndVerifyVM(att);
        assertTrue(ok, "1 of 1 is a quorum");
        (bool ok2,,) = single.verifyAttestation(att, c1.members);
        assertTrue(ok2, "1 of 1 is a quorum (calldata members)");
    }

    function test_accepts_13of19() public {
        TestCommittee memory c19 = makeCommittee(3, 19, 19);
        VigilCore big = deployCore(c19);
        bytes memory att = attest(c19, range(6, 19), body);
        (, bool ok, string memory reason) = big.parseAndVerifyVM(att);
        assertEq(reason, "", "reason");
        assertTrue(ok, "13 of 19 is a quorum");
        (bool ok2,,) = big.verifyAttestation(att, c19.members);
        assertTrue(ok2, "13 of 19 (calldata members)");
        (, bool ok3, string memory r3) = big.parseAndVerifyVM(attest(c19, range(7, 19), body));
        assertFalse(ok3, "12 of 19 is not");
        assertEq(r3, "no quorum", "reason for 12 of 19");
    }

    function test_quorumTable() public view {
        uint256[8] memory sizes = [uint256(1), 2, 3, 4, 5, 7, 19, 255];
        uint256[8] memory expected = [uint256(1), 2, 3, 3, 4, 5, 13, 171];
        for (uint256 i = 0; i < sizes.length; i++) {
            assertEq(core.quorum(sizes[i]), expected[i], "quorum(n) = floor(2n/3) + 1");
        }
    }

    // ------------------------------------------------------------------ layout rejections

    function test_rejects_empty() public view {
        assertRejected("", "VM truncated");
    }

    function test_rejects_versionNot1() public view {
        assertRejected(withByte(valid, 0, 2), "VM version incompatible");
        assertRejected(withByte(valid, 0, 0), "VM version incompatible");
        assertRejected(hex"02", "VM version incompatible");
    }

    function test_rejects_truncatedHeader() public view {
        assertRejected(hex"01", "VM truncated");
        assertRejected(hex"0100000000", "VM truncated");
    }

    function test_rejects_truncatedSignatures() public view {
        assertRejected(prefix(valid, sigAt(2) + 40), "VM truncated");
        // n claims more signatures than the bytes hold
        assertRejected(withByte(valid, 5, 200), "VM truncated");
    }

    function test_rejects_truncatedBody() public view {
        // the body must hold at least its 51-byte fixed part
        assertRejected(prefix(valid, bodyAt(3) + 50), "VM truncated");
    }

    function test_accepts_emptyPayload() public view {
        bytes memory b = makeBody(5, bytes32(uint256(0xabc)), 9, "");
        assertAccepted(attestFirst(c4, 3, b), c4.members);
    }

    // ------------------------------------------------------------------ committee rejections

    function test_rejects_unknownCommitteeIndex() public view {
        assertRejected(withByte(valid, 4, 1), "invalid guardian set"); // index 1: never installed
        bytes memory maxIndex = valid;
        for (uint256 i = 1; i <= 4; i++) maxIndex = withByte(maxIndex, i, 0xff);
        assertRejected(maxIndex, "invalid guardian set");
    }

    function test_rejects_belowQuorum() public view {
        assertRejected(attestFirst(c4, 2, body), "no quorum");
        assertRejected(attestFirst(c4, 0, body), "no quorum");
    }

    // ------------------------------------------------------------------ signature rejections

    function test_rejects_duplicateSigner() public view {
        assertRejected(attest(c4, list(0, 1, 1), body), "signature indices must be ascending");
    }

    function test_rejects_descendingSigners() public view {
        assertRejected(attest(c4, list(0, 2, 1), body), "signature indices must be ascending");
    }

    function test_rejects_signerIndexOutsideCommittee() public view {
        // a 4th signature labelled index 4 (the committee has 0..3), signed by member 3
        bytes memory att = attestFirst(c4, 4, body);
        assertRejected(withByte(att, sigAt(3), 4), "guardian index out of bounds");
        assertRejected(withByte(att, sigAt(3), 255), "guardian index out of bounds");
    }

    function test_rejects_vOutside0or1() public view {
        assertRejected(withByte(valid, sigAt(1) + 65, 2), "signature v must be 0 or 1");
        assertRejected(withByte(valid, sigAt(1) + 65, 27), "signature v must be 0 or 1");
        // 255 + 27 overflows a uint8 in the parsed struct: still a rejection, not a revert
        assertRejected(withByte(valid, sigAt(1) + 65, 255), "signature v must be 0 or 1");
    }

    function test_rejects_highS() public view {
        // the malleated twin of a valid signature: s' = n - s, v' = 1 - v; ecrecover would accept it
        uint256 s = uint256(bytes32(slice32(valid, sigAt(0) + 33)));
        uint8 v = uint8(valid[sigAt(0) + 65]);
        bytes memory twin = withWord(valid, sigAt(0) + 33, bytes32(SECP256K1_N - s));
        twin = withByte(twin, sigAt(0) + 65, 1 - v);
        bytes32 digest = digestOf(body);
        assertEq(
            ecrecover(digest, 28 - v, slice32(valid, sigAt(0) + 1), bytes32(SECP256K1_N - s)),
            c4.members[0],
            "the twin is a valid ECDSA signature"
        );
        assertRejected(twin, "signature s must be low");
    }

    function test_rejects_signatureByNonMember() public view {
        TestCommittee memory other = makeCommittee(0, 4, 99);
        assertRejected(attestFirst(other, 3, body), "VM signature invalid");
    }

    function test_rejects_signatureUnderWrongIndex() public view {
        // member 2's signature presented as member 3's
        bytes memory att = withByte(valid, sigAt(2), 3);
        assertRejected(att, "VM signature invalid");
    }

    function test_rejects_bodyChangedAfterSigning() public view {
        uint256 seqAt = bodyAt(3) + 42 + 7;
        assertRejected(withByte(valid, seqAt, 10), "VM signature invalid");
        assertRejected(bytes.concat(valid, hex"00"), "VM signature invalid");
    }

    function test_rejects_unrecoverableSignature() public view {
        assertRejected(withWord(valid, sigAt(0) + 1, bytes32(0)), "VM signature invalid"); // r = 0
        assertRejected(withWord(valid, sigAt(0) + 33, bytes32(0)), "VM signature invalid"); // s = 0
    }

    // ------------------------------------------------------------------ calldata-members path

    function test_verifyAttestation_rejectsMembersThatDoNotHashToTheCommittee() public view {
        address[] memory reordered = copy(c4.members);
        (reordered[0], reordered[1]) = (reordered[1], reordered[0]);
        assertRejectedGiven(reordered);

        address[] memory missing = new address[](3);
        for (uint256 i = 0; i < 3; i++) missing[i] = c4.members[i];
        assertRejectedGiven(missing);

        address[] memory extra = new address[](5);
        for (uint256 i = 0; i < 4; i++) extra[i] = c4.members[i];
        extra[4] = address(0xbeef);
        assertRejectedGiven(extra);

        assertRejectedGiven(makeCommittee(0, 4, 99).members);
        assertRejectedGiven(new address[](0));
    }

    function test_verifyAttestation_rejectsDirtyAddressWords() public view {
        // same addresses, but one ABI word carries high bits: must not pass as the committee
        bytes memory cd = abi.encodeCall(core.verifyAttestation, (valid, c4.members));
        // the members array is the last 4 words of calldata
        uint256 firstMember = cd.length - 4 * 32;
        cd[firstMember] = 0x01;
        (bool ok, bytes memory ret) = address(core).staticcall(cd);
        if (ok) {
            (bool valid_, string memory reason,) = abi.decode(ret, (bool, string, bytes32));
            assertFalse(valid_, "dirty word must not verify");
            assertEq(reason, "committee keys do not match", "reason");
        }
        // a revert from the ABI decoder is a rejection too
    }

    function assertRejectedGiven(address[] memory members) internal view {
        (bool ok, string memory reason,) = core.verifyAttestation(valid, members);
        assertFalse(ok, "wrong members must not verify");
        assertEq(reason, "committee keys do not match", "reason");
    }

    // ------------------------------------------------------------------ fuzz

    /// Any single-byte change of a valid attestation is rejected, on both paths, without reverting.
    function testFuzz_mutatedByteIsRejected(uint256 position, uint8 flip) public view {
        flip = uint8(bound(flip, 1, 255));
        position = bound(position, 0, valid.length - 1);
        bytes memory mutated = withByte(valid, position, uint8(valid[position]) ^ flip);
        (, bool ok,) = core.parseAndVerifyVM(mutated);
        assertFalse(ok, "mutated attestation accepted by parseAndVerifyVM");
        (bool ok2,,) = core.verifyAttestation(mutated, c4.members);
        assertFalse(ok2, "mutated attestation accepted by verifyAttestation");
    }

    /// A 32-byte overwrite anywhere (a signature's r or s, the digest's input) is rejected.
    function testFuzz_mutatedWordIsRejected(uint256 position, bytes32 word) public view {
        position = bound(position, 0, valid.length - 32);
        vm.assume(word != slice32(valid, position));
        bytes memory mutated = withWord(valid, position, word);
        (, bool ok,) = core.parseAndVerifyVM(mutated);
        assertFalse(ok, "mutated attestation accepted by parseAndVerifyVM");
        (bool ok2,,) = core.verifyAttestation(mutated, c4.members);
        assertFalse(ok2, "mutated attestation accepted by verifyAttestation");
    }

    function testFuzz_truncatedOrExtendedIsRejected(uint256 length, bytes memory extra) public view {
        length = bound(length, 0, valid.length - 1);
        (, bool ok,) = core.parseAndVerifyVM(prefix(valid, length));
        assertFalse(ok, "truncated attestation accepted");
        vm.assume(extra.length > 0);
        (bool ok2,,) = core.verifyAttestation(bytes.concat(valid, extra), c4.members);
        assertFalse(ok2, "extended attestation accepted");
    }

    /// Hostile bytes never make verification revert; they are rejected with a reason.
    function testFuzz_arbitraryBytesAreRejectedWithAReason(bytes memory data) public view {
        (, bool ok, string memory reason) = core.parseAndVerifyVM(data);
        assertFalse(ok, "random bytes accepted");
        assertTrue(bytes(reason).length > 0, "a rejection names its reason");
        (bool ok2, string memory reason2,) = core.verifyAttestation(data, c4.members);
        assertFalse(ok2, "random bytes accepted (calldata members)");
        assertTrue(bytes(reason2).length > 0, "a rejection names its reason (calldata members)");
    }

    /// Random signer subsets of a 7-member committee: accepted iff at least quorum (5) signed.
    function testFuzz_anySubsetIsJudgedByQuorum(uint8 mask) public {
        TestCommittee memory c7 = makeCommittee(0, 7, 77);
        VigilCore core7 = deployCore(c7);
        uint256 count;
        for (uint256 i = 0; i < 7; i++) {
            if (mask & (1 << i) != 0) count++;
        }
        uint256[] memory signers = new uint256[](count);
        uint256 k;
        for (uint256 i = 0; i < 7; i++) {
            if (mask & (1 << i) != 0) signers[k++] = i;
        }
        (bool ok, string memory reason,) = core7.verifyAttestation(attest(c7, signers, body), c7.members);
        assertEq(ok, count >= 5, "valid iff quorum");
        if (!ok) assertEq(reason, "no quorum", "reason");
    }

    /// parseAndVerifyVM hand-encodes its result: compare every field with a plain Solidity parser,
    /// for payloads of any length (padding) and for rejected but well-formed attestations.
    function testFuzz_parsedFieldsMatchReferenceParser(uint16 payloadLength, uint8 signers, uint256 position, uint8 value)
        public
        view
    {
        bytes memory payload = new bytes(bound(payloadLength, 0, 300));
        for (uint256 i = 0; i < payload.length; i++) payload[i] = bytes1(uint8(i * 7 + payloadLength));
        bytes memory att = attestFirst(c4, bound(signers, 0, 4), makeBody(5, keccak256(payload), 77, payload));
        // optionally change one byte of the signatures or the body (not the header: that only
        // leaves an empty VM, covered by the truncation and version tests)
        if (value % 2 == 1) {
            position = bound(position, 6, att.length - 1);
            att = withByte(att, position, value);
        }
        (IVigilCore.VM memory got, bool ok, string memory reason) = core.parseAndVerifyVM(att);
        IVigilCore.VM memory want = referenceParse(att);
        assertEq(got.version, want.version, "version");
        assertEq(got.guardianSetIndex, want.guardianSetIndex, "committee index");
        assertEq(got.timestamp, want.timestamp, "timestamp");
        assertEq(got.nonce, want.nonce, "nonce");
        assertEq(got.emitterChainId, want.emitterChainId, "emitter chain");
        assertEq(got.emitterAddress, want.emitterAddress, "emitter address");
        assertEq(got.sequence, want.sequence, "sequence");
        assertEq(got.consistencyLevel, want.consistencyLevel, "consistency level");
        assertEq(got.payload, want.payload, "payload");
        assertEq(got.hash, want.hash, "hash");
        assertEq(got.signatures.length, want.signatures.length, "signature count");
        for (uint256 i = 0; i < want.signatures.length; i++) {
            assertEq(got.signatures[i].r, want.signatures[i].r, "r");
            assertEq(got.signatures[i].s, want.signatures[i].s, "s");
            assertEq(got.signatures[i].v, want.signatures[i].v, "v");
            assertEq(got.signatures[i].guardianIndex, want.signatures[i].guardianIndex, "signer index");
        }
        (bool ok2, string memory reason2,) = core.verifyAttestation(att, c4.members);
        assertEq(ok, ok2, "both paths agree on validity");
        assertEq(reason, reason2, "both paths agree on the reason");
    }

    function referenceParse(bytes memory a) internal pure returns (IVigilCore.VM memory v) {
        v.version = uint8(a[0]);
        v.guardianSetIndex = uint32(readUint(a, 1, 4));
        uint256 n = uint8(a[5]);
        v.signatures = new IVigilCore.Signature[](n);
        for (uint256 i = 0; i < n; i++) {
            uint256 o = 6 + 66 * i;
            v.signatures[i].guardianIndex = uint8(a[o]);
            v.signatures[i].r = slice32(a, o + 1);
            v.signatures[i].s = slice32(a, o + 33);
            unchecked {
                v.signatures[i].v = uint8(a[o + 65]) + 27;
            }
        }
        uint256 b = 6 + 66 * n;
        v.timestamp = uint32(readUint(a, b, 4));
        v.nonce = uint32(readUint(a, b + 4, 4));
        v.emitterChainId = uint16(readUint(a, b + 8, 2));
        v.emitterAddress = slice32(a, b + 10);
        v.sequence = uint64(readUint(a, b + 42, 8));
        v.consistencyLevel = uint8(a[b + 50]);
        v.payload = new bytes(a.length - b - 51);
        for (uint256 i = 0; i < v.payload.length; i++) v.payload[i] = a[b + 51 + i];
        bytes memory signedBody = new bytes(a.length - b);
        for (uint256 i = 0; i < signedBody.length; i++) signedBody[i] = a[b + i];
        v.hash = digestOf(signedBody);
    }

    function readUint(bytes memory a, uint256 pos, uint256 len) internal pure returns (uint256 x) {
        for (uint256 i = 0; i < len; i++) x = (x << 8) | uint8(a[pos + i]);
    }

    // ------------------------------------------------------------------ small helpers

    function slice32(bytes memory data, uint256 pos) internal pure returns (bytes32 w) {
        assembly {
            w := mload(add(add(data, 0x20), pos))
        }
    }

    function copy(address[] memory a) internal pure returns (address[] memory b) {
        b = new address[](a.length);
        for (uint256 i = 0; i < a.length; i++) b[i] = a[i];
    }
}
