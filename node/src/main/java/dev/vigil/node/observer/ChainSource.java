package dev.vigil.node.observer;

import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * What an observer reads from a source chain: heights, blocks and the core contract's messages.
 * Blocking; failures surface as {@link RpcException} or {@code MalformedRpcDataException} naming
 * the call. {@link ChainReader} reads one endpoint at a time (with failover); {@link
 * AgreementReader} reads several and keeps only what enough of them agree on.
 */
public interface ChainSource {
  int chainId();

  /** Which endpoint (or endpoints) it reads, without URL paths (they often hold API keys). */
  String endpoint();

  long head();

  /**
   * The block the tag names ("safe", "finalized"), or empty when the chain does not know the tag.
   */
  Optional<ChainReader.BlockRef> taggedBlock(DefaultBlockParameterName tag);

  ChainReader.BlockRef block(long number);

  /** The core contract's messages in blocks [from, to], in chain order. */
  List<ObservedMessage> messages(long from, long to);

  /**
   * The core contract's messages in one transaction, or an empty list when it has none or is
   * unknown.
   */
  List<ObservedMessage> messagesInTransaction(String txHash);
}
