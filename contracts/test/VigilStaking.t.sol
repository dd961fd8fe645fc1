// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CommitteeFixture, VigilCore} from "./utils/CommitteeFixture.sol";
import {TestToken} from "./utils/TestToken.sol";
import {VigilStaking} from "../src/VigilStaking.sol";

/// Shared setup: a real VigilCore with a real committee of 4 (keys known to the test), and bodies
/// and signatures made the way guardians make them.
abstract contract StakingFixture is CommitteeFixture {
    uint256 internal constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint64 internal constant DELAY = 7 days;
    uint16 internal constant EMITTER_CHAIN = 5;
    bytes32 internal constant EMITTER = bytes32(uint256(0xabc));
    uint64 internal constant SEQUENCE = 9;

    VigilCore internal core;
    TestCommittee internal c4;

    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    address internal carol = address(0xCA401);
    address internal reporter = address(0x5E9047E2);

    function setUpCore() internal {
        c4 = makeCommittee(0, 4, 13);
        core = deployCore(c4);
    }

    /// r | s | v with v in {0, 1}, as an attestation carries it.
    function sign(uint256 key, bytes memory body) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digestOf(body));
        return abi.encodePacked(r, s, v - 27);
    }

    /// A body of the message (EMITTER_CHAIN, EMITTER, SEQUENCE) with this payload.
    function sameId(bytes memory payload) internal pure returns (bytes memory) {
        return makeBody(EMITTER_CHAIN, EMITTER, SEQUENCE, payload);
    }

    function err(bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }
}

/// ETH mode: delegation, unbonding, withdrawal, slashing and every refusal of forged evidence.
contract VigilStakingTest is StakingFixture {
    VigilStaking internal staking;
    address internal guardian; // member 1 of committee 0
    bytes internal bodyA;
    bytes internal bodyB;
    bytes internal sigA;
    bytes internal sigB;

    function setUp() public {
        setUpCore();
        // 50% of the stake per equivocation, 10% of that to the reporter
        staking = new VigilStaking(address(core), address(0), DELAY, 5000, 1000);
        guardian = c4.members[1];
        bodyA = sameId("transfer 100 to A");
        bodyB = sameId("transfer 100 to B");
        sigA = sign(c4.keys[1], bodyA);
        sigB = sign(c4.keys[1], bodyB);
        vm.deal(reporter, 1 ether);
    }

    function delegateAs(address who, address to, uint256 amount) internal returns (uint256 shares) {
        vm.deal(who, who.balance + amount);
        vm.prank(who);
        shares = staking.delegate{value: amount}(to, amount);
    }

    function unbondAs(address who, uint256 shares) internal returns (uint256 id) {
        vm.prank(who);
        id = staking.requestUnbond(guardian, shares);
    }

    function withdrawAs(address who, uint256 id) internal returns (uint256 paid) {
        uint256 before = who.balance;
        vm.prank(who);
        staking.withdraw(id);
        paid = who.balance - before;
    }

    function submit(uint8 signerIndex, bytes memory a, bytes memory sa, bytes memory b, bytes memory sb)
        internal
        returns (uint256)
    {
        vm.prank(reporter);
        return staking.submitEquivocation(0, signerIndex, a, sa, b, sb);
    }

    function expectSubmitReverts(uint32 index, uint8 signer, bytes memory a, bytes memory sa, bytes memory b, bytes memory sb, bytes memory reason)
        internal
    {
        vm.expectRevert(reason);
        vm.prank(reporter);
        staking.submitEquivocation(index, signer, a, sa, b, sb);
    }

    // ------------------------------------------------------------------ construction

    function test_constructor_exposesItsParameters() public view {
        assertEq(staking.core(), address(core), "core");
        assertEq(staking.token(), address(0), "ETH mode");
        assertEq(staking.unbondingDelay(), DELAY, "delay");
        assertEq(staking.slashBps(), 5000, "slashBps");
        assertEq(staking.reporterBps(), 1000, "reporterBps");
        assertEq(staking.slashedTotal(), 0, "nothing slashed");
    }

    function test_constructor_refusesBpsAbove10000() public {
        vm.expectRevert(err(VigilStaking.BadBps.selector));
        new VigilStaking(address(core), address(0), DELAY, 10_001, 1000);
        vm.expectRevert(err(VigilStaking.BadBps.selector));
        new VigilStaking(address(core), address(0), DELAY, 5000, 10_001);
        new VigilStaking(address(core), address(0), DELAY, 10_000, 10_000); // the bounds themselves are fine
    }

    function test_constructor_refusesCoreOrTokenWithoutCode() public {
        vm.expectRevert(abi.encodeWithSelector(VigilStaking.NotAContract.selector, alice));
        new VigilStaking(alice, address(0), DELAY, 5000, 1000);
        vm.expectRevert(abi.encodeWithSelector(VigilStaking.NotAContract.selector, bob));
        new VigilStaking(address(core), bob, DELAY, 5000, 1000);
    }

    // ------------------------------------------------------------------ delegation

    function test_delegate_sharesOneToOneAndStakeAddsUp() public {
        vm.expectEmit(true, true, false, true, address(staking));
        emit VigilStaking.Delegated(guardian, alice, 10 ether, 10 ether);
        assertEq(delegateAs(alice, guardian, 10 ether), 10 ether, "alice's shares");
        assertEq(delegateAs(bob, guardian, 30 ether), 30 ether, "bob's shares");
        assertEq(staking.sharesOf(guardian, alice), 10 ether, "sharesOf alice");
        assertEq(staking.sharesOf(guardian, bob), 30 ether, "sharesOf bob");
        assertEq(staking.stakeOf(guardian), 40 ether, "stake behind the guardian");
        assertEq(staking.stakeOf(c4.members[2]), 0, "other guardians untouched");
        assertEq(address(staking).balance, 40 ether, "ETH held");
        assertEq(alice.balance, 0, "alice paid");
    }

    function test_delegate_operatorBondsTheSameWay() public {
        delegateAs(guardian, guardian, 5 ether);
        assertEq(staking.sharesOf(guardian, guardian), 5 ether, "operator's own bond");
        assertEq(staking.stakeOf(guardian), 5 ether, "stake");
    }

    function test_delegate_refusesBadInput() public {
        vm.deal(alice, 10 ether);
        vm.startPrank(alice);
        vm.expectRevert(err(VigilStaking.WrongValue.selector));
        staking.delegate{value: 1 ether}(guardian, 2 ether);
        vm.expectRevert(err(VigilStaking.WrongValue.selector));
        staking.delegate(guardian, 2 ether);
        vm.expectRevert(err(VigilStaking.ZeroAmount.selector));
        staking.delegate(guardian, 0);
        vm.expectRevert(err(VigilStaking.ZeroGuardian.selector));
        staking.delegate{value: 1 ether}(address(0), 1 ether);
        vm.stopPrank();
        assertEq(alice.balance, 10 ether, "nothing taken");
        (bool ok,) = address(staking).call{value: 1 ether}("");
        assertFalse(ok, "plain ETH transfers are refused");
    }

    // ------------------------------------------------------------------ unbonding

    function test_unbond_waitsForTheDelayThenPaysOnce() public {
        delegateAs(alice, guardian, 10 ether);
        uint64 readyAt = uint64(block.timestamp) + DELAY;
        vm.expectEmit(true, true, true, true, address(staking));
        emit VigilStaking.UnbondRequested(1, guardian, alice, 4 ether, readyAt);
        uint256 id = unbondAs(alice, 4 ether);
        assertEq(id, 1, "first request id");
        assertEq(staking.sharesOf(guardian, alice), 6 ether, "shares left the balance");
        assertEq(staking.stakeOf(guardian), 10 ether, "but still count as stake");

        vm.expectRevert(abi.encodeWithSelector(VigilStaking.NotReady.selector, readyAt));
        vm.prank(alice);
        staking.withdraw(id);
        vm.warp(readyAt - 1);
        vm.expectRevert(abi.encodeWithSelector(VigilStaking.NotReady.selector, readyAt));
        vm.prank(alice);
        staking.withdraw(id);

        vm.warp(readyAt);
        vm.expectRevert(err(VigilStaking.NotRequester.selector));
        vm.prank(bob);
        staking.withdraw(id);

        vm.expectEmit(true, true, false, true, address(staking));
        emit VigilStaking.Withdrawn(id, alice, 4 ether);
        assertEq(withdrawAs(alice, id), 4 ether, "paid");
        assertEq(staking.stakeOf(guardian), 6 ether, "stake after");
        (,,, , bool withdrawn) = staking.unbondRequest(id);
        assertTrue(withdrawn, "marked withdrawn");

        vm.expectRevert(abi.encodeWithSelector(VigilStaking.AlreadyWithdrawn.selector, id));
        vm.prank(alice);
        staking.withdraw(id);
        vm.expectRevert(abi.encodeWithSelector(VigilStaking.UnknownRequest.selector, 2));
        vm.prank(alice);
        staking.withdraw(2);
    }

    function test_unbond_refusesMoreSharesThanHeld() public {
        delegateAs(alice, guardian, 10 ether);
        vm.expectRevert(abi.encodeWithSelector(VigilStaking.InsufficientShares.selector, 10 ether + 1, 10 ether));
        unbondAs(alice, 10 ether + 1);
        vm.expectRevert(abi.encodeWithSelector(VigilStaking.InsufficientShares.selector, 1, 0));
        unbondAs(bob, 1);
        vm.expectRevert(err(VigilStaking.ZeroAmount.selector));
        unbondAs(alice, 0);
    }

    // ------------------------------------------------------------------ slashing

    function test_slash_proRataAcrossDelegatorsAndUnbonding() public {
        delegateAs(alice, guardian, 10 ether);
        delegateAs(bob, guardian, 30 ether);
        delegateAs(carol, guardian, 20 ether);
        uint256 carolsRequest = unbondAs(carol, 20 ether); // unbonding, still answerable
        delegateAs(alice, c4.members[2], 8 ether); // behind another member: untouched

        vm.expectEmit(true, true, false, true, address(staking));
        emit VigilStaking.Slashed(guardian, reporter, EMITTER_CHAIN, EMITTER, SEQUENCE, 30 ether, 3 ether);
        uint256 slashed = submit(1, bodyA, sigA, bodyB, sigB);

        assertEq(slashed, 30 ether, "half of 60 slashed");
        assertEq(reporter.balance, 1 ether + 3 ether, "reporter got 10% of the slashed amount");
        assertEq(staking.slashedTotal(), 27 ether, "the rest is locked");
        assertEq(staking.stakeOf(guardian), 30 ether, "stake halved");
        assertEq(staking.stakeOf(c4.members[2]), 8 ether, "another member's stake untouched");
        assertTrue(staking.isSlashed(guardian, EMITTER_CHAIN, EMITTER, SEQUENCE), "marked");
        assertEq(staking.sharesOf(guardian, alice), 10 ether, "shares unchanged...");
        assertEq(staking.valueOf(guardian, 10 ether), 5 ether, "...but worth half");

        vm.warp(block.timestamp + DELAY);
        assertEq(withdrawAs(carol, carolsRequest), 10 ether, "unbonding carol lost half too");
        uint256 a = unbondAs(alice, 10 ether);
        uint256 b = unbondAs(bob, 30 ether);
        vm.warp(block.timestamp + DELAY);
        assertEq(withdrawAs(alice, a), 5 ether, "alice gets half");
        assertEq(withdrawAs(bob, b), 15 ether, "bob gets half");
        assertEq(staking.stakeOf(guardian), 0, "pool emptied");
        assertEq(address(staking).balance, 27 ether + 8 ether, "only the locked part and the other stake remain");
    }

    function test_slash_delegationAfterASlashPaysTheNewPrice() public {
        delegateAs(alice, guardian, 10 ether);
        submit(1, bodyA, sigA, bodyB, sigB);
        // 5 ether now back 10e18 shares: 1 ether buys 2e18
        assertEq(delegateAs(bob, guardian, 1 ether), 2 ether, "bob's shares at the slashed price");
        assertEq(staking.valueOf(guardian, 2 ether), 1 ether, "worth what bob paid");
        assertEq(staking.valueOf(guardian, 10 ether), 5 ether, "alice's value unchanged by bob");
    }

    function test_slash_secondSubmissionRefused_anyOrderOrThirdBody() public {
        delegateAs(alice, guardian, 10 ether);
        submit(1, bodyA, sigA, bodyB, sigB);
        bytes memory already = abi.encodeWithSelector(VigilStaking.AlreadySlashed.selector, guardian);
        expectSubmitReverts(0, 1, bodyA, sigA, bodyB, sigB, already);
        expectSubmitReverts(0, 1, bodyB, sigB, bodyA, sigA, already);
        bytes memory bodyC = sameId("transfer 100 to C");
        expectSubmitReverts(0, 1, bodyA, sigA, bodyC, sign(c4.keys[1], bodyC), already);
        assertEq(staking.stakeOf(guardian), 5 ether, "slashed once only");

        // another message id, or another member equivocating on the same one, is a new offence
        bytes memory other = makeBody(EMITTER_CHAIN, EMITTER, SEQUENCE + 1, "x");
        bytes memory other2 = makeBody(EMITTER_CHAIN, EMITTER, SEQUENCE + 1, "y");
        assertEq(submit(1, other, sign(c4.keys[1], other), other2, sign(c4.keys[1], other2)), 2.5 ether, "next message id");
        assertEq(submit(3, bodyA, sign(c4.keys[3], bodyA), bodyB, sign(c4.keys[3], bodyB)), 0, "member 3 has no stake");
        assertTrue(staking.isSlashed(c4.members[3], EMITTER_CHAIN, EMITTER, SEQUENCE), "member 3 marked");
    }

    function test_slash_zeroStakeIsStillMarked() public {
        uint256 before = reporter.balance;
        assertEq(submit(1, bodyA, sigA, bodyB, sigB), 0, "nothing to slash");
        assertTrue(staking.isSlashed(guardian, EMITTER_CHAIN, EMITTER, SEQUENCE), "marked");
        assertEq(reporter.balance, before, "no reward");
        delegateAs(alice, guardian, 10 ether);
        expectSubmitReverts(0, 1, bodyA, sigA, bodyB, sigB, abi.encodeWithSelector(VigilStaking.AlreadySlashed.selector, guardian));
    }

    function test_slash_wholePool_oldSharesWorthNothing_newDelegationsStartAfresh() public {
        staking = new VigilStaking(address(core), address(0), DELAY, 10_000, 2_500);
        delegateAs(alice, guardian, 10 ether);
        uint256 id = unbondAs(alice, 4 ether);
        assertEq(submit(1, bodyA, sigA, bodyB, sigB), 10 ether, "everything slashed");
        assertEq(reporter.balance, 1 ether + 2.5 ether, "reporter's quarter");
        assertEq(staking.slashedTotal(), 7.5 ether, "locked");
        assertEq(staking.sharesOf(guardian, alice), 0, "old shares gone");
        assertEq(staking.totalShares(guardian), 0, "pool empty");
        assertEq(delegateAs(bob, guardian, 3 ether), 3 ether, "new delegation at one to one");
        vm.warp(block.timestamp + DELAY);
        assertEq(withdrawAs(alice, id), 0, "the old request is worth nothing");
        assertEq(staking.stakeOf(guardian), 3 ether, "bob's stake untouched by it");
        uint256 b = unbondAs(bob, 3 ether);
        vm.warp(block.timestamp + DELAY);
        assertEq(withdrawAs(bob, b), 3 ether, "bob gets his back");
    }

    function test_slash_memberOfARotatedCommittee() public {
        TestCommittee memory next = makeCommittee(1, 3, 99);
        core.submitNewGuardianSet(attestFirst(c4, 3, governanceBody(rotationPayload(0, 1, next.members))));
        address g = next.members[2];
        delegateAs(alice, g, 4 ether);
        vm.prank(reporter);
        uint256 slashed = staking.submitEquivocation(1, 2, bodyA, sign(next.keys[2], bodyA), bodyB, sign(next.keys[2], bodyB));
        assertEq(slashed, 2 ether, "member 2 of committee 1 slashed");
        // the old committee is still installed: its members still answer for what they signed
        assertEq(submit(1, bodyA, sigA, bodyB, sigB), 0, "committee 0 still accepted");
        expectSubmitReverts(2, 0, bodyA, sigA, bodyB, sigB, abi.encodeWithSelector(VigilStaking.CommitteeNotInstalled.selector, 2));
    }

    /// Whatever the amounts and order, every delegator gets back exactly its share of what the
    /// slash left, to the unit, and the contract ends holding exactly the locked part.
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_slash_everyoneGetsTheirShareAndNothingIsLeftOver(uint96 a, uint96 b, uint96 c, uint16 bps)
        public
    {
        a = uint96(bound(a, 1, 1e27));
        b = uint96(bound(b, 1, 1e27));
        c = uint96(bound(c, 1, 1e27));
        staking = new VigilStaking(address(core), address(0), DELAY, uint16(bound(bps, 0, 10_000)), 1000);
        uint256 sa = delegateAs(alice, guardian, a);
        uint256 sb = delegateAs(bob, guardian, b);
        uint256 ra = unbondAs(alice, sa);
        submit(1, bodyA, sigA, bodyB, sigB);
        uint256 sc = delegateAs(carol, guardian, c);
        uint256 stake = staking.stakeOf(guardian);
        // bob's shares are still bonded, unless a slash of everything made them worthless
        sb = staking.sharesOf(guardian, bob);
        uint256 rb = sb == 0 ? 0 : unbondAs(bob, sb);
        uint256 rc = unbondAs(carol, sc);
        vm.warp(block.timestamp + DELAY);
        uint256 paid = withdrawAs(carol, rc);
        assertLe(paid, c, "carol, who came after the slash, gets at most what she paid");
        assertLe(c - paid, 1, "and loses at most one unit to rounding");
        paid += withdrawAs(alice, ra);
        if (rb != 0) paid += withdrawAs(bob, rb);
        assertEq(paid, stake, "all the stake paid out, no more");
        assertEq(staking.stakeOf(guardian), 0, "pool empty");
        assertEq(address(staking).balance, staking.slashedTotal(), "only the locked part remains");
    }

    // ------------------------------------------------------------------ valid evidence, fuzzed

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_validEquivocation_anyMember_slashes(uint8 signer, bytes memory payloadA, bytes memory payloadB) public {
        signer = uint8(bound(signer, 0, 3));
        vm.assume(keccak256(payloadA) != keccak256(payloadB));
        address g = c4.members[signer];
        delegateAs(alice, g, 2 ether);
        bytes memory a = sameId(payloadA);
        bytes memory b = sameId(payloadB);
        assertEq(submit(signer, a, sign(c4.keys[signer], a), b, sign(c4.keys[signer], b)), 1 ether, "slashed half");
        assertTrue(staking.isSlashed(g, EMITTER_CHAIN, EMITTER, SEQUENCE), "marked");
    }

    // ------------------------------------------------------------------ forged evidence, fuzzed

    /// Signed by a key that is not member[signerIndex] (another member's, or anyone's).
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_wrongSigner(uint8 signer, uint256 key) public {
        signer = uint8(bound(signer, 0, 3));
        key = bound(key, 1, SECP256K1_N - 1);
        address forger = vm.addr(key);
        vm.assume(forger != c4.members[signer]);
        delegateAs(alice, c4.members[signer], 1 ether);
        bytes memory forged = sign(key, bodyB);
        bytes memory wrong = abi.encodeWithSelector(VigilStaking.WrongSigner.selector, c4.members[signer], forger);
        bytes memory honestA = sign(c4.keys[signer], bodyA);
        expectSubmitReverts(0, signer, bodyA, honestA, bodyB, forged, wrong);
        expectSubmitReverts(0, signer, bodyB, forged, bodyA, honestA, wrong);
        assertEq(staking.stakeOf(c4.members[signer]), 1 ether, "nothing slashed");
    }

    /// A real member's signatures submitted under another member's index.
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_memberSignaturesUnderAnotherIndex(uint8 signer, uint8 claimed) public {
        signer = uint8(bound(signer, 0, 3));
        claimed = uint8(bound(claimed, 0, 3));
        vm.assume(claimed != signer);
        bytes memory sa = sign(c4.keys[signer], bodyA);
        bytes memory sb = sign(c4.keys[signer], bodyB);
        expectSubmitReverts(0, claimed, bodyA, sa, bodyB, sb,
            abi.encodeWithSelector(VigilStaking.WrongSigner.selector, c4.members[claimed], c4.members[signer]));
    }

    /// The same body twice (so the same digest) is no equivocation.
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_sameDigest(bytes memory payload, uint8 signer) public {
        signer = uint8(bound(signer, 0, 3));
        bytes memory a = sameId(payload);
        bytes memory s = sign(c4.keys[signer], a);
        expectSubmitReverts(0, signer, a, s, bytes.concat(a), s, err(VigilStaking.SameDigest.selector));
    }

    /// Bodies of two different messages: each signed once is honest.
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_differentMessages(uint16 chain, bytes32 emitter, uint64 sequence, uint8 which) public {
        which = uint8(bound(which, 0, 3));
        // differ in one field (which = 0, 1, 2) or in any combination of them (3)
        if (which == 0) (emitter, sequence) = (EMITTER, SEQUENCE);
        if (which == 1) (chain, sequence) = (EMITTER_CHAIN, SEQUENCE);
        if (which == 2) (chain, emitter) = (EMITTER_CHAIN, EMITTER);
        vm.assume(chain != EMITTER_CHAIN || emitter != EMITTER || sequence != SEQUENCE);
        bytes memory b = makeBody(chain, emitter, sequence, "transfer 100 to B");
        expectSubmitReverts(0, 1, bodyA, sigA, b, sign(c4.keys[1], b), err(VigilStaking.DifferentMessages.selector));
        expectSubmitReverts(0, 1, b, sign(c4.keys[1], b), bodyA, sigA, err(VigilStaking.DifferentMessages.selector));
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_committeeNeverInstalled(uint32 index) public {
        vm.assume(index != 0);
        expectSubmitReverts(index, 1, bodyA, sigA, bodyB, sigB, abi.encodeWithSelector(VigilStaking.CommitteeNotInstalled.selector, index));
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_signerIndexOutOfRange(uint8 signer) public {
        signer = uint8(bound(signer, 4, 255));
        expectSubmitReverts(0, signer, bodyA, sigA, bodyB, sigB, abi.encodeWithSelector(VigilStaking.SignerIndexOutOfRange.selector, signer, 4));
    }

    /// The malleated twin (n - s, v flipped) recovers to the same member but is refused.
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_malleatedSignature(bytes memory payload, uint8 signer, bool first) public {
        signer = uint8(bound(signer, 0, 3));
        bytes memory b = sameId(payload);
        vm.assume(keccak256(b) != keccak256(bodyA));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(c4.keys[signer], digestOf(b));
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 flipped = v == 27 ? 28 : 27;
        assertEq(ecrecover(digestOf(b), flipped, r, highS), c4.members[signer], "the twin is a valid ECDSA signature");
        bytes memory twin = abi.encodePacked(r, highS, flipped - 27);
        bytes memory honestA = sign(c4.keys[signer], bodyA);
        if (first) expectSubmitReverts(0, signer, b, twin, bodyA, honestA, err(VigilStaking.MalleableSignature.selector));
        else expectSubmitReverts(0, signer, bodyA, honestA, b, twin, err(VigilStaking.MalleableSignature.selector));
    }

    /// 65 random bytes with v in {0, 1} and a low s: recovers to nobody or to a stranger.
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_randomSignature65(bytes32 r, bytes32 s, bool v) public {
        s = bytes32(bound(uint256(s), 0, HALF_N));
        bytes memory sig = abi.encodePacked(r, s, v ? uint8(1) : uint8(0));
        address recovered = ecrecover(digestOf(bodyB), v ? 28 : 27, r, s);
        vm.assume(recovered != guardian); // a forgery would be a break of secp256k1
        bytes memory reason = recovered == address(0)
            ? err(VigilStaking.BadSignature.selector)
            : abi.encodeWithSelector(VigilStaking.WrongSigner.selector, guardian, recovered);
        expectSubmitReverts(0, 1, bodyA, sigA, bodyB, sig, reason);
    }

    /// Random bytes of any other length, or 65 with v outside {0, 1} (27/28 included).
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_randomBytesAsSignature(bytes memory sig, uint8 v) public {
        vm.assume(sig.length != 65);
        expectSubmitReverts(0, 1, bodyA, sigA, bodyB, sig, err(VigilStaking.BadSignature.selector));
        expectSubmitReverts(0, 1, bodyA, sig, bodyB, sigB, err(VigilStaking.BadSignature.selector));
        v = uint8(bound(v, 2, 255));
        bytes memory badV = bytes.concat(sigB);
        badV[64] = bytes1(v);
        expectSubmitReverts(0, 1, bodyA, sigA, bodyB, badV, err(VigilStaking.BadSignature.selector));
    }

    function test_refuses_zeroSignature() public {
        expectSubmitReverts(0, 1, bodyA, new bytes(65), bodyB, sigB, err(VigilStaking.BadSignature.selector));
    }

    /// forge-config: default.fuzz.runs = 256
    function testFuzz_refuses_bodyShorterThan51(bytes memory short, bool first) public {
        if (short.length >= 51) short = prefix(short, short.length % 51);
        bytes memory reason = abi.encodeWithSelector(VigilStaking.BodyTooShort.selector, short.length);
        if (first) expectSubmitReverts(0, 1, short, sigA, bodyB, sigB, reason);
        else expectSubmitReverts(0, 1, bodyA, sigA, short, sigB, reason);
    }

    function test_accepts_bodyOfExactly51Bytes() public {
        delegateAs(alice, guardian, 2 ether);
        bytes memory a = sameId("");
        assertEq(a.length, 51, "header only");
        assertEq(submit(1, a, sign(c4.keys[1], a), bodyB, sigB), 1 ether, "slashed");
    }

    // ------------------------------------------------------------------ reentrancy

    function test_withdraw_reenteringRecipientGetsNothingTwice() public {
        Reenterer attacker = new Reenterer(staking);
        vm.deal(address(attacker), 10 ether);
        attacker.bond(guardian, 10 ether);
        uint256 id = attacker.unbond(guardian, 10 ether);
        vm.warp(block.timestamp + DELAY);
        vm.expectRevert(err(VigilStaking.TransferFailed.selector)); // its receive() re-enters and is refused
        attacker.withdraw(id);
        assertEq(address(staking).balance, 10 ether, "nothing left the contract");
        attacker.setReenter(false);
        attacker.withdraw(id);
        assertEq(address(attacker).balance, 10 ether, "paid once");
    }
}

/// A delegator whose receive() calls withdraw again.
contract Reenterer {
    VigilStaking internal immutable staking;
    bool internal reenter = true;
    uint256 internal lastId;

    constructor(VigilStaking s) {
        staking = s;
    }

    function bond(address g, uint256 amount) external {
        staking.delegate{value: amount}(g, amount);
    }

    function unbond(address g, uint256 shares) external returns (uint256) {
        return staking.requestUnbond(g, shares);
    }

    function withdraw(uint256 id) external {
        lastId = id;
        staking.withdraw(id);
    }

    function setReenter(bool r) external {
        reenter = r;
    }

    receive() external payable {
        if (reenter) staking.withdraw(lastId);
    }
}

/// ERC-20 mode: the same flows with a token instead of ETH.
contract VigilStakingTokenTest is StakingFixture {
    VigilStaking internal staking;
    TestToken internal tkn;
    address internal guardian;

    function setUp() public {
        setUpCore();
        tkn = new TestToken();
        staking = new VigilStaking(address(core), address(tkn), DELAY, 2000, 5000);
        guardian = c4.members[0];
    }

    function delegateAs(address who, uint256 amount) internal returns (uint256 shares) {
        tkn.mint(who, amount);
        vm.startPrank(who);
        tkn.approve(address(staking), amount);
        shares = staking.delegate(guardian, amount);
        vm.stopPrank();
    }

    function test_token_delegateSlashWithdraw() public {
        assertEq(staking.token(), address(tkn), "ERC-20 mode");
        assertEq(delegateAs(alice, 1000e18), 1000e18, "alice's shares");
        assertEq(delegateAs(bob, 3000e18), 3000e18, "bob's shares");
        assertEq(tkn.balanceOf(address(staking)), 4000e18, "tokens held");
        vm.prank(bob);
        uint256 bobs = staking.requestUnbond(guardian, 3000e18);

        bytes memory a = sameId("A");
        bytes memory b = sameId("B");
        vm.prank(reporter);
        uint256 slashed = staking.submitEquivocation(0, 0, a, sign(c4.keys[0], a), b, sign(c4.keys[0], b));
        assertEq(slashed, 800e18, "20% of 4000");
        assertEq(tkn.balanceOf(reporter), 400e18, "reporter paid half of it in tokens");
        assertEq(staking.slashedTotal(), 400e18, "the other half locked");

        vm.prank(alice);
        uint256 alices = staking.requestUnbond(guardian, 1000e18);
        vm.warp(block.timestamp + DELAY);
        vm.prank(bob);
        staking.withdraw(bobs);
        vm.prank(alice);
        staking.withdraw(alices);
        assertEq(tkn.balanceOf(bob), 2400e18, "bob: 3000 less 20%");
        assertEq(tkn.balanceOf(alice), 800e18, "alice: 1000 less 20%");
        assertEq(tkn.balanceOf(address(staking)), 400e18, "the locked part remains");
        assertEq(address(staking).balance, 0, "no ETH involved");
    }

    function test_token_refusesEthAndMissingAllowance() public {
        tkn.mint(alice, 10e18);
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        tkn.approve(address(staking), 10e18);
        vm.expectRevert(err(VigilStaking.WrongValue.selector));
        staking.delegate{value: 1}(guardian, 1);
        vm.expectRevert(err(VigilStaking.TransferFailed.selector));
        staking.delegate(guardian, 11e18); // more than approved
        vm.stopPrank();
        assertEq(tkn.balanceOf(alice), 10e18, "nothing taken");
    }
}
