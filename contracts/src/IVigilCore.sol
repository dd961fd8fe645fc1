// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// The Vigil core contract as seen by applications. Its message, attestation and verification
/// shapes are those of Wormhole's core interface (IWormhole), so code written against one works
/// with the other.
interface IVigilCore {
    struct Signature {
        bytes32 r;
        bytes32 s;
        uint8 v; // 27 or 28, as ecrecover takes it (the attestation carries 0 or 1)
        uint8 guardianIndex;
    }

    /// A parsed attestation (a "VM" in Wormhole's terms).
    struct VM {
        uint8 version;
        uint32 timestamp;
        uint32 nonce;
        uint16 emitterChainId;
        bytes32 emitterAddress;
        uint64 sequence;
        uint8 consistencyLevel;
        bytes payload;
        uint32 guardianSetIndex;
        Signature[] signatures;
        bytes32 hash; // keccak256(keccak256(body)), the digest the committee signs
    }

    struct GuardianSet {
        address[] keys;
        uint32 expirationTime; // 0 while the set is current
    }

    event LogMessagePublished(address indexed sender, uint64 sequence, uint32 nonce, bytes payload, uint8 consistencyLevel);
    event CommitteeRotated(uint32 indexed oldIndex, uint32 indexed newIndex, address[] members);
    /// A committee's FROST group key was installed (parity: 0 for even y, 1 for odd).
    event GroupKeyInstalled(uint32 indexed committeeIndex, bytes32 x, uint8 parity);

    // ---- source side

    /// Publishes a message; each sender's messages are numbered 0, 1, 2, ...
    function publishMessage(uint32 nonce, bytes calldata payload, uint8 consistencyLevel) external payable returns (uint64 sequence);

    function nextSequence(address emitter) external view returns (uint64);

    /// Always 0; present because Wormhole integrations call it before publishing.
    function messageFee() external view returns (uint256);

    // ---- destination side

    /// Parses and verifies an attestation against the stored committee. Never reverts on bad
    /// input: an invalid attestation gives valid = false and the reason. A truncated attestation
    /// or one of another version gives an empty VM (only `version` set); any other has every field.
    function parseAndVerifyVM(bytes calldata encodedVM) external view returns (VM memory vm, bool valid, string memory reason);

    /// The cheaper path: the caller passes the committee's members, which must hash to the stored
    /// committee key hash; nothing is parsed into memory. Same rules and reasons as parseAndVerifyVM.
    function verifyAttestation(bytes calldata attestation, address[] calldata members)
        external
        view
        returns (bool valid, string memory reason, bytes32 digest);

    /// Rotates the committee with a governance attestation (Wormhole's guardian-set upgrade).
    function submitNewGuardianSet(bytes calldata attestation) external;

    /// Verifies an attestation v2 (one FROST(secp256k1, SHA-256) signature by a committee's group
    /// key): version 2 | groupKeyIndex u32 | R 33 (compressed) | z 32 | body. Never reverts on bad
    /// input; digest = keccak256(keccak256(body)), returned once the layout holds a body.
    function verifyAttestationV2(bytes calldata attestation)
        external
        view
        returns (bool valid, string memory reason, bytes32 digest);

    /// The cheaper v2 path (as verifyAttestation is for v1): the caller passes the group key's x,
    /// checked against a stored hash; one storage slot read instead of two.
    function verifyAttestationV2WithKey(bytes calldata attestation, bytes32 groupKeyX)
        external
        view
        returns (bool valid, string memory reason, bytes32 digest);

    /// Installs the current committee's group key with a governance attestation (module "Core",
    /// action 3): module 32 | action u8 = 3 | chain u16 | committeeIndex u32 | groupKey 33 (compressed).
    function submitGroupKey(bytes calldata attestation) external;

    /// A committee's group key (x, y parity); zero if none is installed.
    function groupKey(uint32 index) external view returns (bytes32 x, uint8 parity);

    // ---- committee and configuration getters

    function currentCommitteeIndex() external view returns (uint32);
    function committeeMembers(uint32 index) external view returns (address[] memory);
    /// The first 28 bytes of keccak256(abi.encodePacked(members)): what verifyAttestation checks
    /// its members against.
    function committeeKeyHash(uint32 index) external view returns (bytes28);
    /// When a replaced committee stops being accepted (unix seconds); 0 for the current one.
    function committeeExpiry(uint32 index) external view returns (uint32);
    function expiryWindow() external view returns (uint32);

    function getCurrentGuardianSetIndex() external view returns (uint32);
    function getGuardianSet(uint32 index) external view returns (GuardianSet memory);
    function getGuardianSetExpiry() external view returns (uint32);
    function governanceActionIsConsumed(bytes32 digest) external view returns (bool);
    function governanceChainId() external view returns (uint16);
    function governanceContract() external view returns (bytes32);
    function chainId() external view returns (uint16);
    function quorum(uint256 numGuardians) external pure returns (uint256);
}
