// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IVigilCore} from "./IVigilCore.sol";
import {FrostSecp256k1} from "./FrostSecp256k1.sol";

/// Vigil's core contract, deployed on every chain. On a source chain applications publish
/// messages through it; on a destination chain it verifies attestations signed by a quorum of the
/// committee and rotates the committee through governance attestations.
///
/// Attestation v1 (big-endian, byte-compatible with Wormhole's VAA v1):
///   version u8 = 1 | committeeIndex u32 | n u8 | n x (signerIndex u8, r 32, s 32, v u8 in {0,1}) | body
///   body = timestamp u32 | nonce u32 | emitterChain u16 | emitterAddress 32 | sequence u64
///          | consistencyLevel u8 | payload
///   digest = keccak256(keccak256(body)), signed without any message prefix.
///
/// Attestation v2 (threshold mode): one FROST(secp256k1, SHA-256) Schnorr signature by the
/// committee's group key, installed by governance action 3 (see submitGroupKey):
///   version u8 = 2 | groupKeyIndex u32 | R 33 (compressed) | z 32 | body (as v1)
///   the signed message is the 32-byte digest keccak256(keccak256(body)).
///
/// Verification reads the attestation straight from calldata; the signature loop is assembly
/// (ecrecover through a staticcall to precompile 0x01) because it is where the gas goes.
contract VigilCore is IVigilCore {
    // ---- rejection reasons: index into _reasonString; Wormhole's wording where it has one
    uint256 private constant OK = 0;
    uint256 private constant TRUNCATED = 1;
    uint256 private constant BAD_VERSION = 2;
    uint256 private constant UNKNOWN_COMMITTEE = 3;
    uint256 private constant EXPIRED = 4;
    uint256 private constant NO_QUORUM = 5;
    uint256 private constant NOT_ASCENDING = 6;
    uint256 private constant INDEX_OUT_OF_BOUNDS = 7;
    uint256 private constant BAD_V = 8;
    uint256 private constant HIGH_S = 9;
    uint256 private constant BAD_SIGNATURE = 10;
    uint256 private constant KEYS_MISMATCH = 11;
    uint256 private constant NO_GROUP_KEY = 12;
    uint256 private constant BAD_R = 13;
    uint256 private constant BAD_Z = 14;
    uint256 private constant GROUP_KEY_MISMATCH = 15;

    /// Largest s accepted (secp256k1 n / 2): the other half are malleated copies of valid signatures.
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    uint256 private constant HEADER_LENGTH = 6; // version, committee index, n
    uint256 private constant SIGNATURE_LENGTH = 66; // signer index, r, s, v
    uint256 private constant BODY_HEADER_LENGTH = 51; // body up to the payload
    uint256 private constant V2_HEADER_LENGTH = 70; // version, group key index, R, z

    // FrostSecp256k1's constants again, as numbers so inline assembly can name them
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 private constant SECP256K1_P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
    uint256 private constant SQRT_EXPONENT = 0x3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFBFFFFF0C;
    /// I2OSP(48, 2) | 0x00 | "FROST-secp256k1-SHA256-v1chal" (msg_prime's tail, less its last byte 0x1d)
    uint256 private constant XMD_TAIL = 0x00300046524f53542d736563703235366b312d5348413235362d76316368616c;
    /// "FROST-secp256k1-SHA256-v1chal" | 0x1d, left-aligned (DST_prime)
    uint256 private constant DST_PRIME = 0x46524f53542d736563703235366b312d5348413235362d76316368616c1d0000;

    /// "Core" left-padded to 32 bytes: the module of a committee rotation.
    bytes32 private constant MODULE_CORE = 0x00000000000000000000000000000000000000000000000000000000436f7265;
    uint8 private constant ACTION_ROTATE_COMMITTEE = 2;
    uint8 private constant ACTION_INSTALL_GROUP_KEY = 3;
    uint256 private constant GROUP_KEY_PAYLOAD_LENGTH = 72; // module 32, action 1, chain 2, index 4, key 33

    /// Expiry of the current committee: it does not expire.
    uint32 private constant NEVER = type(uint32).max;

    /// Init code that deploys the bytes following it as a contract's code (the SSTORE2 pattern):
    /// PUSH2 len, DUP1, PUSH1 10, RETURNDATASIZE, CODECOPY, RETURNDATASIZE, RETURN; len in bytes 1-2.
    bytes10 private constant DATA_CONTRACT_INIT = 0x61000080600a3d393df3;

    /// A committee is two slots. The members themselves are the code of a data contract
    /// (a STOP byte, then abi.encodePacked(members)): one EXTCODECOPY reads them all, where
    /// storage would cost a cold SLOAD (2,100 gas) per signer.
    struct Committee {
        // keyHash and expiresAt share one slot, so the calldata-members path needs one SLOAD.
        // 224 bits of keccak256 leave 2^224 work to find other members with the same hash.
        bytes28 keyHash; // first 28 bytes of keccak256(abi.encodePacked(members))
        uint32 expiresAt; // unix seconds; NEVER while current
        address membersCode; // data contract holding the members
        uint8 size; // member count, 1..255; 0 for an unknown index
    }

    /// A committee's FROST group key. Two slots: x, then the prefix (02/03, 0 when none), a copy
    /// of the committee's expiry and a hash of x, so verification reads nothing else, and
    /// verification with x in calldata reads only the second.
    struct GroupKey {
        bytes32 x; // below n (ecrecover takes it as r)
        uint8 prefix; // SEC1 compressed prefix: 2 for even y, 3 for odd; 0 = not installed
        uint32 expiresAt; // the committee's expiresAt, kept equal by submitNewGuardianSet
        bytes27 xHash; // first 27 bytes of keccak256(x): 2^216 work to find another x matching
    }

    uint16 private immutable _chainId;
    uint16 private immutable _governanceChainId;
    bytes32 private immutable _governanceEmitter;
    uint32 private immutable _expiryWindow;

    uint32 private _current;
    mapping(uint32 => Committee) private _committees;
    mapping(address => uint64) private _sequences;
    mapping(bytes32 => bool) private _consumedGovernance;
    mapping(uint32 => GroupKey) private _groupKeys;

    /// @param initialIndex index of the first committee (Wormhole mainnet is at 4, a fresh network at 0)
    /// @param members the first committee, in signer-index order
    /// @param governanceChain_ chain of the governance emitter (Wormhole: 1)
    /// @param governanceEmitter_ emitter whose attestations rotate the committee (Wormhole: 0x...04)
    /// @param expiryWindow_ how long a replaced committee stays valid, in seconds (default 86400)
    /// @param chainId_ this chain's id in the cross-chain numbering (not the EVM chain id)
    constructor(
        uint32 initialIndex,
        address[] memory members,
        uint16 governanceChain_,
        bytes32 governanceEmitter_,
        uint32 expiryWindow_,
        uint16 chainId_
    ) {
        _storeCommittee(initialIndex, members);
        _current = initialIndex;
        _governanceChainId = governanceChain_;
        _governanceEmitter = governanceEmitter_;
        _expiryWindow = expiryWindow_;
        _chainId = chainId_;
    }

    // ================================================================ source side

    function publishMessage(uint32 nonce, bytes calldata payload, uint8 consistencyLevel)
        external
        payable
        returns (uint64 sequence)
    {
        // The fee is zero; refusing value keeps ether from being locked here.
        require(msg.value == 0, "invalid fee");
        sequence = _sequences[msg.sender]++;
        emit LogMessagePublished(msg.sender, sequence, nonce, payload, consistencyLevel);
    }

    function nextSequence(address emitter) external view returns (uint64) {
        return _sequences[emitter];
    }

    function messageFee() external pure returns (uint256) {
        return 0;
    }

    // ================================================================ destination side

    function parseAndVerifyVM(bytes calldata encodedVM)
        external
        view
        returns (VM memory vm, bool valid, string memory reason)
    {
        (uint256 r, uint32 index, uint256 n, uint256 bodyOffset) = _header(encodedVM);
        if (r != OK) {
            // nothing past the version can be trusted to be there
            if (encodedVM.length > 0) vm.version = uint8(encodedVM[0]);
            return (vm, false, _reasonString(r));
        }
        bytes32 digest = _digest(encodedVM, bodyOffset);
        r = _verifyWithStoredCommittee(encodedVM, index, n, digest);
        _returnParsed(encodedVM, n, bodyOffset, digest, r == OK, _reasonString(r));
    }

    function verifyAttestation(bytes calldata attestation, address[] calldata members)
        external
        view
        returns (bool valid, string memory reason, bytes32 digest)
    {
        (uint256 r, uint32 index, uint256 n, uint256 bodyOffset) = _header(attestation);
        if (r == OK) {
            digest = _digest(attestation, bodyOffset);
            r = _verifyWithGivenCommittee(attestation, index, n, digest, members);
        }
        return (r == OK, _reasonString(r), digest);
    }

    /// Rotation payload: module "Core" (32) | action 2 | chain u16 (0 = all) | newIndex u32 | n u8 | n x address (20).
    function submitNewGuardianSet(bytes calldata attestation) external {
        (bytes calldata p, bytes32 digest, uint32 current) = _governancePayload(attestation);
        require(p.length >= 40, "invalid GuardianSetUpgrade length");
        require(bytes32(p[0:32]) == MODULE_CORE, "invalid Module");
        require(uint8(p[32]) == ACTION_ROTATE_COMMITTEE, "invalid governance action");
        uint16 chain = uint16(bytes2(p[33:35]));
        require(chain == 0 || chain == _chainId, "invalid Chain");
        uint32 newIndex = uint32(bytes4(p[35:39]));
        uint256 count = uint8(p[39]);
        require(p.length == 40 + 20 * count, "invalid GuardianSetUpgrade length");
        require(newIndex == uint256(current) + 1, "index must increase in steps of 1");

        address[] memory members = new address[](count);
        for (uint256 i = 0; i < count; i++) {
            members[i] = address(bytes20(p[40 + 20 * i:60 + 20 * i]));
        }

        _consumedGovernance[digest] = true;
        // saturates one second short of NEVER (in 2106) rather than reverting
        uint256 expiresAt = block.timestamp + _expiryWindow;
        // forge-lint: disable-next-line(unsafe-typecast)
        uint32 expiry = expiresAt >= NEVER ? NEVER - 1 : uint32(expiresAt);
        _committees[current].expiresAt = expiry;
        GroupKey storage g = _groupKeys[current];
        if (g.prefix != 0) g.expiresAt = expiry; // the group key expires with its committee
        _storeCommittee(newIndex, members);
        _current = newIndex;
        emit CommitteeRotated(current, newIndex, members);
    }

    /// Verifies a v2 attestation: one FROST(secp256k1, SHA-256) signature (R, z) by the group key
    /// of committee `groupKeyIndex` over digest = keccak256(keccak256(body)). Never reverts on bad
    /// input; the digest is returned once the layout is long enough to have a body.
    function verifyAttestationV2(bytes calldata attestation)
        external
        view
        returns (bool valid, string memory reason, bytes32 digest)
    {
        uint256 r;
        (r, digest) = _verifyV2(attestation, false, 0); // returns from the call if valid
        return (false, _reasonString(r), digest);
    }

    /// The cheaper v2 path, as verifyAttestation is for v1: the caller passes the group key's x
    /// (groupKey(index) gives it), checked against a hash stored beside the key's prefix and
    /// expiry, so one storage slot is read instead of two. Same rules and reasons as
    /// verifyAttestationV2, and "group key does not match" for another x.
    function verifyAttestationV2WithKey(bytes calldata attestation, bytes32 groupKeyX)
        external
        view
        returns (bool valid, string memory reason, bytes32 digest)
    {
        uint256 r;
        (r, digest) = _verifyV2(attestation, true, uint256(groupKeyX)); // returns from the call if valid
        return (false, _reasonString(r), digest);
    }

    /// Installs the current committee's FROST group key (made by a DKG among its members), with a
    /// governance attestation v1 signed by that committee. Payload:
    ///   module "Core" (32) | action 3 | chain u16 (0 = all) | committeeIndex u32 | groupKey 33 (compressed)
    function submitGroupKey(bytes calldata attestation) external {
        (bytes calldata p, bytes32 digest, uint32 current) = _governancePayload(attestation);
        require(p.length >= 35, "invalid GroupKey length");
        require(bytes32(p[0:32]) == MODULE_CORE, "invalid Module");
        require(uint8(p[32]) == ACTION_INSTALL_GROUP_KEY, "invalid governance action");
        uint16 chain = uint16(bytes2(p[33:35]));
        require(chain == 0 || chain == _chainId, "invalid Chain");
        require(p.length == GROUP_KEY_PAYLOAD_LENGTH, "invalid GroupKey length");
        uint32 index = uint32(bytes4(p[35:39]));
        require(index == current, "group key must be for the current committee");
        uint8 prefix = uint8(p[39]);
        uint256 x = uint256(bytes32(p[40:72]));
        require(prefix == 2 || prefix == 3, "group key not on the curve");
        (bool onCurve,) = FrostSecp256k1.decompress(x, prefix - 2);
        require(onCurve, "group key not on the curve");
        require(x < FrostSecp256k1.N, "group key x must be below n");
        GroupKey storage g = _groupKeys[index];
        require(g.prefix == 0, "group key already set");

        _consumedGovernance[digest] = true;
        g.x = bytes32(x);
        g.prefix = prefix;
        g.expiresAt = NEVER;
        g.xHash = bytes27(keccak256(abi.encode(x)));
        emit GroupKeyInstalled(index, bytes32(x), prefix - 2);
    }

    // ================================================================ getters

    /// The group key of committee `index` (x and y parity), zero if none is installed.
    function groupKey(uint32 index) external view returns (bytes32 x, uint8 parity) {
        GroupKey storage g = _groupKeys[index];
        if (g.prefix == 0) return (0, 0);
        return (g.x, g.prefix - 2);
    }

    function currentCommitteeIndex() external view returns (uint32) {
        return _current;
    }

    function getCurrentGuardianSetIndex() external view returns (uint32) {
        return _current;
    }

    function committeeMembers(uint32 index) public view returns (address[] memory members) {
        Committee storage c = _committees[index];
        (address code, uint256 size) = (c.membersCode, c.size);
        members = new address[](size);
        if (size > 0) {
            assembly ("memory-safe") {
                extcodecopy(code, add(members, 0x20), 1, shl(5, size))
            }
        }
    }

    function committeeKeyHash(uint32 index) external view returns (bytes28) {
        return _committees[index].keyHash;
    }

    function committeeExpiry(uint32 index) public view returns (uint32) {
        uint32 expiresAt = _committees[index].expiresAt;
        return expiresAt == NEVER ? 0 : expiresAt;
    }

    function getGuardianSet(uint32 index) external view returns (GuardianSet memory) {
        return GuardianSet({keys: committeeMembers(index), expirationTime: committeeExpiry(index)});
    }

    function expiryWindow() external view returns (uint32) {
        return _expiryWindow;
    }

    function getGuardianSetExpiry() external view returns (uint32) {
        return _expiryWindow;
    }

    function governanceActionIsConsumed(bytes32 digest) external view returns (bool) {
        return _consumedGovernance[digest];
    }

    function governanceChainId() external view returns (uint16) {
        return _governanceChainId;
    }

    function governanceContract() external view returns (bytes32) {
        return _governanceEmitter;
    }

    function chainId() external view returns (uint16) {
        return _chainId;
    }

    function quorum(uint256 numGuardians) public pure returns (uint256) {
        return numGuardians * 2 / 3 + 1;
    }

    // ================================================================ internals

    /// The checks every governance action shares, in Wormhole's order: signed by a quorum of the
    /// current committee, from the governance emitter, not consumed. Returns the payload.
    function _governancePayload(bytes calldata attestation)
        private
        view
        returns (bytes calldata p, bytes32 digest, uint32 current)
    {
        (uint256 r, uint32 index, uint256 n, uint256 bodyOffset) = _header(attestation);
        if (r == OK) {
            digest = _digest(attestation, bodyOffset);
            r = _verifyWithStoredCommittee(attestation, index, n, digest);
        }
        require(r == OK, _reasonString(r));

        current = _current;
        require(index == current, "not signed by current guardian set");
        bytes calldata body = attestation[bodyOffset:];
        require(uint16(bytes2(body[8:10])) == _governanceChainId, "wrong governance chain");
        require(bytes32(body[10:42]) == _governanceEmitter, "wrong governance contract");
        require(!_consumedGovernance[digest], "governance action already consumed");
        p = body[BODY_HEADER_LENGTH:];
    }

    /// Attestation v2: layout, group key, expiry, (given x,) R, z, then the signature. A valid
    /// attestation RETURNS FROM THE EXTERNAL CALL here, with (true, "", digest); an invalid one
    /// returns its reason code (and the digest once the layout holds a body). Two cold SLOADs (the
    /// key's prefix and expiry, then x; only the first when x is given), one modexp (R's y), three
    /// SHA-256, one ecrecover. The steps are FrostSecp256k1's (which the tests check against RFC
    /// 9591's vector), written out in one block because every jump and stack shuffle is paid on
    /// each verification.
    function _verifyV2(bytes calldata att, bool given, uint256 givenX) private view returns (uint256 r, bytes32 digest) {
        assembly ("memory-safe") {
            // the layout checks of v1's _header, in the same order; calldataload pads with zeros
            let w := calldataload(att.offset)
            if iszero(att.length) { r := TRUNCATED }
            if iszero(r) { if iszero(eq(byte(0, w), 2)) { r := BAD_VERSION } }
            if iszero(r) { if lt(att.length, add(V2_HEADER_LENGTH, BODY_HEADER_LENGTH)) { r := TRUNCATED } }
        }
        if (r != OK) return (r, 0);
        assembly ("memory-safe") {
            // body digest, the body copied to scratch memory past the free pointer
            let m := mload(0x40)
            let len := sub(att.length, V2_HEADER_LENGTH)
            calldatacopy(m, add(att.offset, V2_HEADER_LENGTH), len)
            mstore(0x00, keccak256(m, len))
            digest := keccak256(0x00, 0x20)

            // GroupKey of the index: slot k = x, slot k + 1 = prefix (byte 0) | expiresAt (bytes 1-4)
            // | xHash (bytes 5-31)
            let w := calldataload(att.offset)
            mstore(0x00, shr(224, shl(8, w)))
            mstore(0x20, _groupKeys.slot)
            let k := keccak256(0x00, 0x40)
            let meta := sload(add(k, 1))
            let pkPrefix := and(meta, 0xff)
            let expiresAt := and(shr(8, meta), 0xffffffff)
            let rPrefix := byte(5, w)
            let rx := calldataload(add(att.offset, 6))
            let z := calldataload(add(att.offset, 38))
            for {} 1 {} {
                if iszero(pkPrefix) { r := NO_GROUP_KEY break }
                if and(iszero(eq(expiresAt, 0xffffffff)), iszero(lt(timestamp(), expiresAt))) { r := EXPIRED break } // NEVER: current
                if given {
                    mstore(0x00, givenX)
                    if iszero(eq(shr(40, meta), shr(40, keccak256(0x00, 0x20)))) { r := GROUP_KEY_MISMATCH break }
                }
                if gt(sub(rPrefix, 2), 1) { r := BAD_R break } // wraps below 2
                if or(iszero(z), iszero(lt(z, SECP256K1_N))) { r := BAD_Z break }

                // R's y: (x^3 + 7)^((p + 1) / 4), the parity of the prefix
                let rhs := addmod(mulmod(rx, mulmod(rx, rx, SECP256K1_P), SECP256K1_P), 7, SECP256K1_P)
                mstore(m, 0x20)
                mstore(add(m, 0x20), 0x20)
                mstore(add(m, 0x40), 0x20)
                mstore(add(m, 0x60), rhs)
                mstore(add(m, 0x80), SQRT_EXPONENT)
                mstore(add(m, 0xa0), SECP256K1_P)
                pop(staticcall(gas(), 0x05, m, 0xc0, m, 0x20))
                let ry := mload(m)
                if iszero(and(lt(rx, SECP256K1_P), eq(mulmod(ry, ry, SECP256K1_P), rhs))) { r := BAD_R break }
                if iszero(eq(and(ry, 1), sub(rPrefix, 2))) { ry := sub(SECP256K1_P, ry) }

                // c = H2(R | PK | digest): msg_prime = Z_pad 64 | R 33 | PK 33 | digest 32 | tail 33
                let pkx := givenX
                if iszero(given) { pkx := sload(k) }
                mstore(m, 0)
                mstore(add(m, 0x20), 0)
                mstore8(add(m, 0x40), rPrefix)
                mstore(add(m, 0x41), rx)
                mstore8(add(m, 0x61), pkPrefix)
                mstore(add(m, 0x62), pkx)
                mstore(add(m, 0x82), digest)
                mstore(add(m, 0xa2), XMD_TAIL)
                mstore8(add(m, 0xc2), 0x1d)
                let ok := staticcall(gas(), 0x02, m, 0xc3, 0x00, 0x20)
                let b0 := mload(0x00)
                mstore(m, b0)
                mstore8(add(m, 0x20), 1)
                mstore(add(m, 0x21), DST_PRIME)
                ok := and(ok, staticcall(gas(), 0x02, m, 0x3f, 0x00, 0x20))
                let b1 := mload(0x00)
                mstore(m, xor(b0, b1))
                mstore8(add(m, 0x20), 2)
                ok := and(ok, staticcall(gas(), 0x02, m, 0x3f, 0x00, 0x20))
                if iszero(ok) { revert(0, 0) }
                let c := addmod(mulmod(b1, 0x100000000000000000000000000000000, SECP256K1_N), shr(128, mload(0x00)), SECP256K1_N)

                // ecrecover(−z·PKx, v(PK), PKx, −c·PKx) is the address of z·G − c·PK; R's must match
                mstore(m, sub(SECP256K1_N, mulmod(z, pkx, SECP256K1_N)))
                mstore(add(m, 0x20), add(25, pkPrefix))
                mstore(add(m, 0x40), pkx)
                mstore(add(m, 0x60), sub(SECP256K1_N, mulmod(c, pkx, SECP256K1_N)))
                mstore(0x00, 0)
                pop(staticcall(gas(), 0x01, m, 0x80, 0x00, 0x20))
                let recovered := mload(0x00)
                mstore(0x00, rx)
                mstore(0x20, ry)
                let rAddress := and(keccak256(0x00, 0x40), 0xffffffffffffffffffffffffffffffffffffffff)
                if iszero(and(iszero(iszero(recovered)), eq(recovered, rAddress))) { r := BAD_SIGNATURE break }

                // valid: return (true, "", digest) from the call, encoded by hand (the encoder's
                // general path for (bool, string, bytes32) costs more)
                mstore(m, 1)
                mstore(add(m, 0x20), 0x60)
                mstore(add(m, 0x40), digest)
                mstore(add(m, 0x60), 0)
                return(m, 0x80)
            }
        }
    }

    /// Checks the fixed layout. Everything after this may read up to the payload without bounds
    /// checks: the length covers the header, all n signatures and the body up to the payload.
    function _header(bytes calldata att)
        private
        pure
        returns (uint256 r, uint32 index, uint256 n, uint256 bodyOffset)
    {
        if (att.length == 0) return (TRUNCATED, 0, 0, 0);
        if (uint8(att[0]) != 1) return (BAD_VERSION, 0, 0, 0);
        if (att.length < HEADER_LENGTH) return (TRUNCATED, 0, 0, 0);
        assembly ("memory-safe") {
            let w := calldataload(att.offset)
            index := shr(224, shl(8, w))
            n := byte(5, w)
        }
        bodyOffset = HEADER_LENGTH + SIGNATURE_LENGTH * n;
        if (att.length < bodyOffset + BODY_HEADER_LENGTH) return (TRUNCATED, index, n, bodyOffset);
        return (OK, index, n, bodyOffset);
    }

    function _digest(bytes calldata att, uint256 bodyOffset) private pure returns (bytes32 d) {
        assembly ("memory-safe") {
            // scratch memory past the free pointer; nothing is allocated
            let m := mload(0x40)
            let len := sub(att.length, bodyOffset)
            calldatacopy(m, add(att.offset, bodyOffset), len)
            mstore(0x00, keccak256(m, len))
            d := keccak256(0x00, 0x20)
        }
    }

    function _verifyWithStoredCommittee(bytes calldata att, uint32 index, uint256 n, bytes32 digest)
        private
        view
        returns (uint256)
    {
        Committee storage c = _committees[index];
        (address code, uint256 size) = (c.membersCode, c.size);
        if (size == 0) return UNKNOWN_COMMITTEE;
        if (_expired(c.expiresAt)) return EXPIRED;
        if (n < quorum(size)) return NO_QUORUM;
        uint256 members = _allocate(size);
        assembly ("memory-safe") {
            extcodecopy(code, members, 1, shl(5, size))
        }
        return _checkSignatures(att, n, digest, size, members);
    }

    function _verifyWithGivenCommittee(
        bytes calldata att,
        uint32 index,
        uint256 n,
        bytes32 digest,
        address[] calldata given
    ) private view returns (uint256) {
        Committee storage c = _committees[index];
        (bytes28 keyHash, uint32 expiresAt) = (c.keyHash, c.expiresAt);
        if (keyHash == 0) return UNKNOWN_COMMITTEE;
        if (_expired(expiresAt)) return EXPIRED;
        uint256 size = given.length;
        uint256 members = _allocate(size);
        bytes32 givenHash;
        assembly ("memory-safe") {
            // ABI words, exactly abi.encodePacked(address[]): dirty high bits change the hash
            calldatacopy(members, given.offset, shl(5, size))
            givenHash := keccak256(members, shl(5, size))
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        if (bytes28(givenHash) != keyHash) return KEYS_MISMATCH; // truncated like the stored hash
        if (n < quorum(size)) return NO_QUORUM;
        return _checkSignatures(att, n, digest, size, members);
    }

    /// Memory for `words` 32-byte words.
    function _allocate(uint256 words) private pure returns (uint256 p) {
        assembly ("memory-safe") {
            p := mload(0x40)
            mstore(0x40, add(p, shl(5, words)))
        }
    }

    /// Checks the n signatures of att against the members, one 32-byte word each in memory from
    /// `members` on (so the storage and calldata paths share this loop).
    function _checkSignatures(bytes calldata att, uint256 n, bytes32 digest, uint256 size, uint256 members)
        private
        view
        returns (uint256 r)
    {
        assembly ("memory-safe") {
            // ecrecover input (digest, v, r, s) built past the free pointer; output in scratch 0x00
            let input := mload(0x40)
            mstore(input, digest)
            let next := 0 // smallest signer index allowed next: strictly ascending
            let sig := add(att.offset, HEADER_LENGTH)
            for { let end := add(sig, mul(n, SIGNATURE_LENGTH)) } lt(sig, end) { sig := add(sig, SIGNATURE_LENGTH) } {
                let idx := byte(0, calldataload(sig))
                let v := byte(0, calldataload(add(sig, 65)))
                let s := calldataload(add(sig, 33))
                // one branch for the four cheap checks; which one failed is sorted out on the way
                // out, the last assignment being the first rule in documented order
                if or(or(lt(idx, next), iszero(lt(idx, size))), or(gt(v, 1), gt(s, HALF_N))) {
                    r := HIGH_S
                    if gt(v, 1) { r := BAD_V }
                    if iszero(lt(idx, size)) { r := INDEX_OUT_OF_BOUNDS }
                    if lt(idx, next) { r := NOT_ASCENDING }
                    break
                }
                next := add(idx, 1)
                mstore(add(input, 0x20), add(v, 27))
                mstore(add(input, 0x40), calldataload(add(sig, 1)))
                mstore(add(input, 0x60), s)
                mstore(0x00, 0) // the precompile returns nothing for an unrecoverable signature
                pop(staticcall(gas(), 0x01, input, 0x80, 0x00, 0x20))
                // members are never address(0), so a failed recovery never matches
                if iszero(eq(mload(0x00), mload(add(members, shl(5, idx))))) {
                    r := BAD_SIGNATURE
                    break
                }
            }
        }
    }

    /// Returns from the call with the ABI encoding of (VM, bool, string), written straight from
    /// the calldata of a well-formed attestation. The encoder Solidity generates first builds the
    /// VM in memory and then walks it, which cost about 19,000 gas more for 13 signatures.
    /// Layout: head (VM offset, valid, reason offset) | VM head (11 words) | payload | signatures | reason.
    function _returnParsed(
        bytes calldata att,
        uint256 n,
        uint256 bodyOffset,
        bytes32 digest,
        bool valid,
        string memory reason
    ) private pure {
        assembly ("memory-safe") {
            let out := mload(0x40)
            let body := add(att.offset, bodyOffset)
            let payloadLength := sub(sub(att.length, bodyOffset), BODY_HEADER_LENGTH)
            let signaturesAt := add(0x180, and(add(payloadLength, 31), not(31))) // relative to vm

            let vm := add(out, 0x60)
            mstore(out, 0x60)
            mstore(add(out, 0x20), valid)

            // VM head, in the struct's field order
            let w := calldataload(body) // timestamp 4 | nonce 4 | emitterChain 2 | ...
            mstore(vm, 1) // version: _header checked it
            mstore(add(vm, 0x20), shr(224, w))
            mstore(add(vm, 0x40), and(shr(192, w), 0xffffffff))
            mstore(add(vm, 0x60), and(shr(176, w), 0xffff))
            mstore(add(vm, 0x80), calldataload(add(body, 10))) // emitterAddress
            w := calldataload(add(body, 42)) // sequence 8 | consistencyLevel 1 | ...
            mstore(add(vm, 0xa0), shr(192, w))
            mstore(add(vm, 0xc0), byte(8, w))
            mstore(add(vm, 0xe0), 0x160) // payload offset
            mstore(add(vm, 0x100), shr(224, shl(8, calldataload(att.offset)))) // committee index
            mstore(add(vm, 0x120), signaturesAt)
            mstore(add(vm, 0x140), digest)

            // payload, zero-padded to a word (the padding word is overwritten by what follows)
            mstore(add(vm, 0x160), payloadLength)
            calldatacopy(add(vm, 0x180), add(body, BODY_HEADER_LENGTH), payloadLength)
            mstore(add(add(vm, 0x180), payloadLength), 0)

            // signatures as (r, s, v + 27, guardianIndex); v wraps like a uint8 so a bad v still encodes
            let p := add(vm, signaturesAt)
            mstore(p, n)
            p := add(p, 0x20)
            for { let sig := add(att.offset, HEADER_LENGTH) let end := add(sig, mul(n, SIGNATURE_LENGTH)) } lt(sig, end) {
                sig := add(sig, SIGNATURE_LENGTH)
            } {
                mstore(p, calldataload(add(sig, 1)))
                mstore(add(p, 0x20), calldataload(add(sig, 33)))
                mstore(add(p, 0x40), and(add(byte(0, calldataload(add(sig, 65))), 27), 0xff))
                mstore(add(p, 0x60), byte(0, calldataload(sig)))
                p := add(p, 0x80)
            }

            // reason string, zero-padded
            mstore(add(out, 0x40), sub(p, out))
            let reasonLength := mload(reason)
            mstore(p, reasonLength)
            mcopy(add(p, 0x20), add(reason, 0x20), reasonLength)
            mstore(add(add(p, 0x20), reasonLength), 0)
            p := add(add(p, 0x20), and(add(reasonLength, 31), not(31)))

            return(out, sub(p, out))
        }
    }

    function _storeCommittee(uint32 index, address[] memory members) private {
        uint256 count = members.length;
        require(count > 0, "new guardian set is empty");
        require(count <= 255, "guardian set too large");
        for (uint256 i = 0; i < count; i++) {
            require(members[i] != address(0), "Invalid key");
            for (uint256 j = 0; j < i; j++) {
                require(members[i] != members[j], "duplicate key");
            }
        }
        bytes memory packed = abi.encodePacked(members); // one 32-byte word per member
        bytes memory init = abi.encodePacked(DATA_CONTRACT_INIT, hex"00", packed); // STOP: the data never runs
        address code;
        assembly ("memory-safe") {
            let runtimeLength := add(mload(packed), 1)
            // patch PUSH2's operand (bytes 1-2 of the init code) with the runtime length
            mstore8(add(init, 0x21), shr(8, runtimeLength))
            mstore8(add(init, 0x22), and(runtimeLength, 0xff))
            code := create(0, add(init, 0x20), mload(init))
        }
        require(code != address(0), "committee store failed");
        Committee storage c = _committees[index];
        c.keyHash = bytes28(keccak256(packed));
        c.expiresAt = NEVER;
        c.membersCode = code;
        // forge-lint: disable-next-line(unsafe-typecast)
        c.size = uint8(count); // at most 255, checked above
    }

    function _expired(uint32 expiresAt) private view returns (bool) {
        // forge-lint: disable-next-line(block-timestamp)
        return expiresAt != NEVER && block.timestamp >= expiresAt;
    }

    function _reasonString(uint256 r) private pure returns (string memory) {
        if (r == OK) return "";
        if (r == TRUNCATED) return "VM truncated";
        if (r == BAD_VERSION) return "VM version incompatible";
        if (r == UNKNOWN_COMMITTEE) return "invalid guardian set";
        if (r == EXPIRED) return "guardian set has expired";
        if (r == NO_QUORUM) return "no quorum";
        if (r == NOT_ASCENDING) return "signature indices must be ascending";
        if (r == INDEX_OUT_OF_BOUNDS) return "guardian index out of bounds";
        if (r == BAD_V) return "signature v must be 0 or 1";
        if (r == HIGH_S) return "signature s must be low";
        if (r == BAD_SIGNATURE) return "VM signature invalid";
        if (r == KEYS_MISMATCH) return "committee keys do not match";
        if (r == NO_GROUP_KEY) return "no group key for this index";
        if (r == BAD_R) return "signature R is not a curve point";
        if (r == GROUP_KEY_MISMATCH) return "group key does not match";
        return "signature z out of range";
    }
}
