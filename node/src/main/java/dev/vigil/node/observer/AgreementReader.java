package dev.vigil.node.observer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Reads a chain through several independent endpoints and keeps only what at least {@code quorum}
 * of them return alike (the chain's {@code rpc-agreement}): one endpoint that lies about a log
 * cannot make this guardian sign it.
 *
 * <ul>
 *   <li>Heights: the {@code quorum}-th highest of the endpoints' answers, so that a block counts as
 *       final only when that many endpoints say so (a lagging endpoint does not hold the others
 *       back, a lying one cannot move finality ahead).
 *   <li>Blocks: the hash at least {@code quorum} endpoints agree on; else the call fails naming
 *       each endpoint's answer.
 *   <li>Messages: a message is kept when at least {@code quorum} endpoints returned it with the
 *       same fields (body, block, transaction, log index). A message fewer endpoints returned is
 *       never kept: when at least {@code quorum} endpoints answered without it, a WARN ("NOT
 *       SIGNING") names the endpoints that returned it and those that did not, and the read goes
 *       on; otherwise the read fails naming them (the observer retries it: a real message is not
 *       skipped while the endpoints disagree).
 * </ul>
 *
 * A call fails when fewer than {@code quorum} endpoints answered it. Not thread-safe beyond what
 * its {@link ChainReader}s are.
 */
public final class AgreementReader implements ChainSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgreementReader.class);

  private final int chainId;
  private final List<ChainReader> endpoints;
  private final int quorum;

  /**
   * @param endpoints one reader per endpoint, each with that endpoint only
   * @param quorum how many endpoints must agree, 2..endpoints
   */
  public AgreementReader(int chainId, List<ChainReader> endpoints, int quorum) {
    if (quorum < 2 || quorum > endpoints.size())
      throw new IllegalArgumentException(
          "chain "
              + chainId
              + ": agreement of "
              + quorum
              + " needs 2.."
              + endpoints.size()
              + " endpoints");
    this.chainId = chainId;
    this.endpoints = List.copyOf(endpoints);
    this.quorum = quorum;
  }

  @Override
  public int chainId() {
    return chainId;
  }

  @Override
  public String endpoint() {
    return quorum + " of " + endpoints.size() + " endpoints in agreement";
  }

  private String name(int i) {
    return "endpoint " + (i + 1) + " (" + endpoints.get(i).endpoint() + ")";
  }

  /** Each endpoint's answer (empty where it failed); fails when fewer than quorum answered. */
  private <T> List<Optional<T>> ask(String call, Function<ChainReader, T> f) {
    List<Optional<T>> out = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      try {
        out.add(Optional.of(f.apply(endpoints.get(i))));
      } catch (RuntimeException e) {
        out.add(Optional.empty());
        failures.add(name(i) + ": " + e.getMessage());
      }
    }
    long answered = out.stream().filter(Optional::isPresent).count();
    if (answered < quorum)
      throw new RpcException(
          call
              + " on chain "
              + chainId
              + ": "
              + answered
              + " of "
              + endpoints.size()
              + " endpoints answered, "
              + quorum
              + " must agree; "
              + String.join("; ", failures));
    return out;
  }

  /** The quorum-th highest of the answers. */
  private long agreedHeight(List<Optional<Long>> answers) {
    List<Long> h =
        answers.stream().flatMap(Optional::stream).sorted(Comparator.reverseOrder()).toList();
    return h.get(quorum - 1);
  }

  @Override
  public long head() {
    return agreedHeight(ask("eth_blockNumber", ChainReader::head));
  }

  @Override
  public Optional<ChainReader.BlockRef> taggedBlock(DefaultBlockParameterName tag) {
    List<Optional<Optional<ChainReader.BlockRef>>> answers =
        ask("eth_getBlockByNumber(" + tag.getValue() + ")", r -> r.taggedBlock(tag));
    List<Optional<Long>> numbers =
        answers.stream().map(a -> a.flatMap(o -> o).map(ChainReader.BlockRef::number)).toList();
    if (numbers.stream().filter(Optional::isPresent).count() < quorum) return Optional.empty();
    return Optional.of(block(agreedHeight(numbers)));
  }

  @Override
  public ChainReader.BlockRef block(long number) {
    String call = "eth_getBlockByNumber(" + number + ")";
    List<Optional<ChainReader.BlockRef>> answers = ask(call, r -> r.block(number));
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (Optional<ChainReader.BlockRef> a : answers)
      a.ifPresent(b -> votes.merge(b.hash().toLowerCase(Locale.ROOT), 1, Integer::sum));
    for (Optional<ChainReader.BlockRef> a : answers) {
      if (a.isPresent() && votes.get(a.get().hash().toLowerCase(Locale.ROOT)) >= quorum)
        return a.get();
    }
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      int e = i;
      answers.get(i).ifPresent(b -> seen.add(name(e) + " says " + b.hash()));
    }
    throw new RpcException(
        call
            + " on chain "
            + chainId
            + ": fewer than "
            + quorum
            + " endpoints agree on the block: "
            + String.join("; ", seen));
  }

  @Override
  public List<ObservedMessage> messages(long from, long to) {
    String call = "eth_getLogs(" + from + ".." + to + ")";
    return agreed(call, ask(call, r -> r.messages(from, to)));
  }

  @Override
  public List<ObservedMessage> messagesInTransaction(String txHash) {
    String call = "eth_getTransactionReceipt(" + txHash + ")";
    return agreed(call, ask(call, r -> r.messagesInTransaction(txHash)));
  }

  /** A message as endpoints are compared on: hashes in one case. */
  private static ObservedMessage normalized(ObservedMessage m) {
    return new ObservedMessage(
        m.emitterChain(),
        m.emitterAddress(),
        m.sequence(),
        m.nonce(),
        m.consistencyLevel(),
        m.payload(),
        m.timestamp(),
        m.blockNumber(),
        m.blockHash().toLowerCase(Locale.ROOT),
        m.txHash().toLowerCase(Locale.ROOT),
        m.logIndex());
  }

  /** The messages at least quorum endpoints returned alike, in chain order; warns of the rest. */
  private List<ObservedMessage> agreed(String call, List<Optional<List<ObservedMessage>>> answers) {
    Map<ObservedMessage, List<Integer>> returnedBy = new LinkedHashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      int e = i;
      answers
          .get(i)
          .ifPresent(
              list -> {
                for (ObservedMessage m : list)
                  returnedBy.computeIfAbsent(normalized(m), k -> new ArrayList<>()).add(e);
              });
    }
    List<ObservedMessage> out = new ArrayList<>();
    List<String> undecided = new ArrayList<>();
    returnedBy.forEach(
        (m, by) -> {
          if (by.size() >= quorum) {
            out.add(m);
            return;
          }
          List<String> yes = by.stream().map(this::name).toList();
          List<String> no = new ArrayList<>();
          for (int i = 0; i < answers.size(); i++)
            if (answers.get(i).isPresent() && !by.contains(i)) no.add(name(i));
          String what =
              m
                  + " (payload "
                  + m.payload().length
                  + " bytes) from "
                  + call
                  + ": only "
                  + String.join(", ", yes)
                  + " returned it, "
                  + String.join(", ", no)
                  + " did not ("
                  + quorum
                  + " must agree)";
          if (no.size() >= quorum) {
            // enough endpoints agree it is not there: the others are wrong or lying
            LOG.warn("chain {}: NOT SIGNING {}; an endpoint is wrong or lying", chainId, what);
          } else {
            undecided.add(what);
          }
        });
    if (!undecided.isEmpty()) {
      // neither side has enough endpoints: read again later rather than skip a real message
      throw new RpcException(
          "chain " + chainId + ": endpoints disagree, " + String.join("; ", undecided));
    }
    out.sort(
        Comparator.comparingLong(ObservedMessage::blockNumber)
            .thenComparingLong(ObservedMessage::logIndex));
    return out;
  }

  @Override
  public void close() {
    endpoints.forEach(ChainReader::close);
  }
}
