// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IVigilCore} from "./IVigilCore.sol";

/// Example destination application: accepts attestations of messages from registered emitters,
/// verifies each with VigilCore, executes each message once and records its payload.
contract MessageReceiver {
    /// version 1 | groupKeyIndex 4 | R 33 | z 32: where an attestation v2's body starts
    uint256 private constant V2_BODY_OFFSET = 70;

    IVigilCore public immutable core;
    address public immutable owner;

    /// emitter chain => the one emitter address accepted from it
    mapping(uint16 => bytes32) public registeredEmitters;
    /// digest => executed; the digest covers the body only, so another signer subset of the same
    /// message is still a replay
    mapping(bytes32 => bool) public isExecuted;
    /// digest => payload of an executed message
    mapping(bytes32 => bytes) public payloadOf;
    uint256 public receivedCount;

    event EmitterRegistered(uint16 indexed chain, bytes32 emitter);
    event MessageReceived(
        bytes32 indexed digest, uint16 indexed emitterChain, bytes32 indexed emitterAddress, uint64 sequence, bytes payload
    );

    constructor(IVigilCore core_) {
        core = core_;
        owner = msg.sender;
    }

    function registerEmitter(uint16 chain, bytes32 emitter) external {
        require(msg.sender == owner, "only owner");
        registeredEmitters[chain] = emitter;
        emit EmitterRegistered(chain, emitter);
    }

    /// Verifies through VigilCore.parseAndVerifyVM (Wormhole-compatible) and executes the message.
    /// An attestation v2 (first byte 2: one threshold signature by the committee's group key) is
    /// verified with VigilCore.verifyAttestationV2 instead.
    function receiveMessage(bytes calldata attestation) external returns (bytes32 digest) {
        if (attestation.length > 0 && uint8(attestation[0]) == 2) {
            bool ok;
            string memory why;
            (ok, why, digest) = core.verifyAttestationV2(attestation);
            require(ok, why);
            _executeBody(digest, attestation[V2_BODY_OFFSET:]); // valid implies a whole body header
            return digest;
        }
        (IVigilCore.VM memory vm, bool valid, string memory reason) = core.parseAndVerifyVM(attestation);
        require(valid, reason);
        _execute(vm.hash, vm.emitterChainId, vm.emitterAddress, vm.sequence, vm.payload);
        return vm.hash;
    }

    /// The cheaper path: the relayer passes the committee's members along (VigilCore checks them
    /// against its stored hash), and the body is read here from calldata.
    function receiveMessageWithCommittee(bytes calldata attestation, address[] calldata members)
        external
        returns (bytes32 digest)
    {
        bool valid;
        string memory reason;
        (valid, reason, digest) = core.verifyAttestation(attestation, members);
        require(valid, reason);
        // valid implies the layout was checked: the body follows n signatures of 66 bytes
        _executeBody(digest, attestation[6 + 66 * uint256(uint8(attestation[5])):]);
    }

    function _executeBody(bytes32 digest, bytes calldata body) private {
        _execute(digest, uint16(bytes2(body[8:10])), bytes32(body[10:42]), uint64(bytes8(body[42:50])), body[51:]);
    }

    function _execute(bytes32 digest, uint16 emitterChain, bytes32 emitterAddress, uint64 sequence, bytes memory payload)
        private
    {
        bytes32 registered = registeredEmitters[emitterChain];
        require(registered != bytes32(0) && registered == emitterAddress, "emitter not registered");
        require(!isExecuted[digest], "message already executed");
        isExecuted[digest] = true;
        payloadOf[digest] = payload;
        receivedCount++;
        emit MessageReceived(digest, emitterChain, emitterAddress, sequence, payload);
    }
}
