package dev.vigil.storage;

import dev.vigil.signing.Hex;
import java.util.Arrays;

/** Where an observer stopped on a chain: the last block it processed, by number and hash. */
public record ChainCursor(long blockNumber, byte[] blockHash) {
  public ChainCursor {
    if (blockNumber < 0)
      throw new IllegalArgumentException("block number must be >= 0, got " + blockNumber);
    if (blockHash == null || blockHash.length != 32) {
      throw new IllegalArgumentException(
          "block hash must be 32 bytes, got " + (blockHash == null ? "null" : blockHash.length));
    }
    blockHash = blockHash.clone();
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChainCursor c
        && blockNumber == c.blockNumber
        && Arrays.equals(blockHash, c.blockHash);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(blockNumber) + Arrays.hashCode(blockHash);
  }

  @Override
  public String toString() {
    return "ChainCursor[" + blockNumber + " " + Hex.encode0x(blockHash) + "]";
  }
}
