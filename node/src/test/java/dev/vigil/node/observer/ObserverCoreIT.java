package dev.vigil.node.observer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.observation.Observation;
import dev.vigil.evm.EvmClient;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.storage.VigilDatabase;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The observer's decisions against a real anvil chain: finality, restart from cursors, reorgs. */
class ObserverCoreIT {
  static final int CHAIN = 2;
  static EvmToolchain toolchain;
  static LocalChain chain;

  @BeforeAll
  static void startChain() {
    toolchain = EvmToolchain.locate();
    // slots-in-an-epoch 2: safe = head - 2, finalized = head - 4
    chain =
        LocalChain.start(
            toolchain,
            Anvil.Options.defaults(31337),
            CHAIN,
            0,
            List.of(Address.fromHex("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")));
  }

  @AfterAll
  static void stopChain() {
    if (chain != null) chain.close();
  }

  /** Cursors in memory, for tests that are not about persistence. */
  static final class MemoryCursors implements CursorPersistence {
    final Map<Finality.Level, ChainReader.BlockRef> saved = new EnumMap<>(Finality.Level.class);

    @Override
    public Optional<ChainReader.BlockRef> load(int c, Finality.Level level) {
      return Optional.ofNullable(saved.get(level));
    }

    @Override
    public void save(int c, Finality.Level level, ChainReader.BlockRef block) {
      saved.put(level, block);
    }
  }

  static ObserverCore observer(CursorPersistence cursors, long startBlock) {
    ChainReader reader =
        new ChainReader(CHAIN, chain.rpcUrl(), chain.coreAddress(), Duration.ofSeconds(10));
    return new ObserverCore(reader, new Finality.Tags(), cursors, startBlock, 1000, 65536);
  }

  /** Polls until caught up, committing each step, and returns every observation handed over. */
  static List<Observation> drain(ObserverCore core) {
    List<Observation> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ObserverCore.Step s = core.poll();
      all.addAll(s.observations());
      core.commit(s);
      if (s.caughtUp()) return all;
    }
    throw new AssertionError("observer did not catch up in 100 polls");
  }

  static List<String> payloads(List<Observation> obs) {
    return obs.stream().map(o -> new String(o.body().payload(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void eachMessageWaitsForItsOwnFinalityLevel() {
    long start =
        chain.anvil().web3j().ethBlockNumber().sendAsync().join().getBlockNumber().longValue() + 1;
    ObserverCore core = observer(new MemoryCursors(), start);
    EvmClient sender = chain.client(1);
    EvmClient.Published instant =
        sender.publishMessage(
            chain.coreAddress(), 1, "instant".getBytes(StandardCharsets.UTF_8), 200);
    sender.publishMessage(chain.coreAddress(), 2, "safe".getBytes(StandardCharsets.UTF_8), 201);
    sender.publishMessage(chain.coreAddress(), 3, "final".getBytes(StandardCharsets.UTF_8), 1);

    List<Observation> first = drain(core);
    assertThat(payloads(first)).containsExactly("instant");
    Observation o = first.get(0);
    assertThat(o.body().sequence()).isEqualTo(instant.sequence());
    assertThat(o.body().emitterChain()).isEqualTo(CHAIN);
    assertThat(o.body().emitterAddress().toBytes()).isEqualTo(instant.emitter32());
    assertThat("0x" + o.txHash().toHex().replaceFirst("^0x", ""))
        .isEqualToIgnoringCase(instant.txHash());
    assertThat(o.body().timestamp()).isPositive();

    chain.anvil().mine(2); // the 201 message's block is now at or below safe
    assertThat(payloads(drain(core))).containsExactly("safe");
    chain.anvil().mine(2); // and the level-1 message's block below finalized
    assertThat(payloads(drain(core))).containsExactly("final");
    chain.anvil().mine(10);
    assertThat(drain(core)).as("nothing is handed over twice").isEmpty();
  }

  @Test
  void aPayloadOverTheChainsLimitIsNotSignedAndTheMessagesAroundItAre() {
    long start =
        chain.anvil().web3j().ethBlockNumber().sendAsync().join().getBlockNumber().longValue() + 1;
    ObserverCore core = observer(new MemoryCursors(), start);
    EvmClient sender = chain.client(1);
    byte[] mib = new byte[1 << 20];
    new java.util.Random(7).nextBytes(mib);
    sender.publishMessage(chain.coreAddress(), 1, "before".getBytes(StandardCharsets.UTF_8), 200);
    EvmClient.Published big = sender.publishMessage(chain.coreAddress(), 2, mib, 200);
    sender.publishMessage(chain.coreAddress(), 3, "after".getBytes(StandardCharsets.UTF_8), 200);

    assertThat(payloads(drain(core)))
        .as("the 1 MiB message is left out, the others are handed over")
        .containsExactly("before", "after");
    assertThat(core.oversizedPayloads()).isEqualTo(1);
    assertThat(core.reobserve(Bytes32.fromHex(big.txHash())))
        .as("nor is it signed when a peer asks for a re-read")
        .isEmpty();
    assertThat(core.oversizedPayloads()).isEqualTo(2);
  }

  @Test
  void restartResumesFromStoredCursorsWithoutLossOrRepeat(@TempDir Path dir) {
    long start =
        chain.anvil().web3j().ethBlockNumber().sendAsync().join().getBlockNumber().longValue() + 1;
    EvmClient sender = chain.client(1);
    List<String> seen = new ArrayList<>();
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      ObserverCore core = observer(new StoredCursors(db.cursors()), start);
      for (int i = 0; i < 5; i++)
        sender.publishMessage(
            chain.coreAddress(), i, ("a" + i).getBytes(StandardCharsets.UTF_8), 1);
      chain.anvil().mine(5);
      seen.addAll(payloads(drain(core)));
    }
    // while the node is down, more messages are published and become final
    for (int i = 0; i < 5; i++)
      sender.publishMessage(chain.coreAddress(), i, ("b" + i).getBytes(StandardCharsets.UTF_8), 1);
    chain.anvil().mine(5);
    try (VigilDatabase db = VigilDatabase.open(dir)) {
      ObserverCore core = observer(new StoredCursors(db.cursors()), start);
      seen.addAll(payloads(drain(core)));
    }
    assertThat(seen).containsExactly("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3", "b4");
  }

  @Test
  void aMessageReorgedOutBeforeFinalityIsNeverObserved() {
    long start =
        chain.anvil().web3j().ethBlockNumber().sendAsync().join().getBlockNumber().longValue() + 1;
    ObserverCore core = observer(new MemoryCursors(), start);
    EvmClient sender = chain.client(1);
    EvmClient.Published doomed =
        sender.publishMessage(chain.coreAddress(), 7, "doomed".getBytes(StandardCharsets.UTF_8), 1);
    assertThat(drain(core)).isEmpty(); // not final yet
    chain.anvil().reorg(1); // the block holding the transaction is replaced by an empty one
    chain.anvil().mine(8);
    assertThat(payloads(drain(core))).doesNotContain("doomed").isEmpty();
    assertThat(core.reobserve(Bytes32.fromHex(doomed.txHash())))
        .as("a peer's request for the dropped transaction yields nothing")
        .isEmpty();
  }

  @Test
  void reobserveReturnsOnlyFinalMessages() {
    ObserverCore core = observer(new MemoryCursors(), 0);
    EvmClient sender = chain.client(1);
    EvmClient.Published p =
        sender.publishMessage(chain.coreAddress(), 9, "again".getBytes(StandardCharsets.UTF_8), 1);
    var tx = Bytes32.fromHex(p.txHash());
    assertThat(core.reobserve(tx)).as("not final yet").isEmpty();
    chain.anvil().mine(5);
    assertThat(payloads(core.reobserve(tx))).containsExactly("again");
  }
}
