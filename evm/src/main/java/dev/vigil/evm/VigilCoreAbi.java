package dev.vigil.evm;

import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.abi.datatypes.reflection.Parameterized;

/**
 * IVigilCore's structs as web3j ABI types, for web3j's decoder. web3j builds them by reflection
 * from the constructor's parameter types, which must follow the Solidity field order exactly; the
 * nested classes are public because of that reflection, the holder is not API. A struct array needs
 * its element type named with {@link Parameterized}: generics are erased.
 */
final class VigilCoreAbi {
  private VigilCoreAbi() {}

  /** {@code IVigilCore.Signature(bytes32 r, bytes32 s, uint8 v, uint8 guardianIndex)}. */
  public static final class SignatureStruct extends StaticStruct {
    public final Bytes32 r;
    public final Bytes32 s;
    public final Uint8 v;
    public final Uint8 guardianIndex;

    public SignatureStruct(Bytes32 r, Bytes32 s, Uint8 v, Uint8 guardianIndex) {
      super(r, s, v, guardianIndex);
      this.r = r;
      this.s = s;
      this.v = v;
      this.guardianIndex = guardianIndex;
    }
  }

  /**
   * {@code IVigilCore.VM(uint8 version, uint32 timestamp, uint32 nonce, uint16 emitterChainId,
   * bytes32 emitterAddress, uint64 sequence, uint8 consistencyLevel, bytes payload, uint32
   * guardianSetIndex, Signature[] signatures, bytes32 hash)}.
   */
  public static final class VmStruct extends DynamicStruct {
    public final Uint8 version;
    public final Uint32 timestamp;
    public final Uint32 nonce;
    public final Uint16 emitterChainId;
    public final Bytes32 emitterAddress;
    public final Uint64 sequence;
    public final Uint8 consistencyLevel;
    public final DynamicBytes payload;
    public final Uint32 guardianSetIndex;
    public final DynamicArray<SignatureStruct> signatures;
    public final Bytes32 hash;

    public VmStruct(
        Uint8 version,
        Uint32 timestamp,
        Uint32 nonce,
        Uint16 emitterChainId,
        Bytes32 emitterAddress,
        Uint64 sequence,
        Uint8 consistencyLevel,
        DynamicBytes payload,
        Uint32 guardianSetIndex,
        @Parameterized(type = SignatureStruct.class) DynamicArray<SignatureStruct> signatures,
        Bytes32 hash) {
      super(
          version,
          timestamp,
          nonce,
          emitterChainId,
          emitterAddress,
          sequence,
          consistencyLevel,
          payload,
          guardianSetIndex,
          signatures,
          hash);
      this.version = version;
      this.timestamp = timestamp;
      this.nonce = nonce;
      this.emitterChainId = emitterChainId;
      this.emitterAddress = emitterAddress;
      this.sequence = sequence;
      this.consistencyLevel = consistencyLevel;
      this.payload = payload;
      this.guardianSetIndex = guardianSetIndex;
      this.signatures = signatures;
      this.hash = hash;
    }
  }
}
