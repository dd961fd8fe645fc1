package dev.vigil.evm;

/** An RPC endpoint answered, but with something that is not what the protocol promises. */
public final class MalformedRpcDataException extends RuntimeException {
  public MalformedRpcDataException(String message) {
    super(message);
  }
}
