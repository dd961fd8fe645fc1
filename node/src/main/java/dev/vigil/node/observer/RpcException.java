package dev.vigil.node.observer;

/**
 * A JSON-RPC call failed: the endpoint was unreachable, timed out, answered an error or garbage.
 */
public final class RpcException extends RuntimeException {
  public RpcException(String message, Throwable cause) {
    super(message, cause);
  }

  public RpcException(String message) {
    super(message);
  }
}
