package dev.vigil.node.observer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.evm.EvmClient;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import dev.vigil.testing.net.FaultyRpcProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The observer actor behind a JSON-RPC endpoint that fails in each way we know: it keeps running,
 * counts the errors, reports itself unready, and delivers the messages once the endpoint recovers.
 */
class ChainObserverIT {
  static LocalChain chain;
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    chain =
        LocalChain.start(
            EvmToolchain.locate(),
            Anvil.Options.defaults(31338),
            3,
            0,
            List.of(Address.fromHex("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")));
    testKit =
        ActorTestKit.create(
            "observer-it",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    if (testKit != null) testKit.shutdownTestKit();
    if (chain != null) chain.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = FaultyRpcProxy.Mode.class,
      names = {"HTTP_500", "GARBAGE", "TRUNCATED", "RPC_ERROR", "DROP", "SLOW"})
  void survivesAFaultyEndpointAndDeliversAfterRecovery(FaultyRpcProxy.Mode fault) throws Exception {
    try (FaultyRpcProxy proxy = FaultyRpcProxy.start(chain.rpcUrl())) {
      proxy.slowDelay(Duration.ofSeconds(3));
      proxy.mode(fault);
      long start = chain.anvil().web3j().ethBlockNumber().send().getBlockNumber().longValue() + 1;
      ChainReader reader =
          new ChainReader(3, proxy.url(), chain.coreAddress(), Duration.ofSeconds(1));
      ChainHealth health = new ChainHealth(3, "chain-3");
      ConcurrentLinkedQueue<Observation> handed = observe(reader, start, health);

      byte[] payload = ("through " + fault).getBytes(StandardCharsets.UTF_8);
      chain.client(1).publishMessage(chain.coreAddress(), 1, payload, 200);

      await(
          () -> health.snapshot().consecutiveFailures() >= 2,
          "observer to record failures under " + fault);
      assertThat(health.ready(System.currentTimeMillis(), 10_000))
          .as("unready while the endpoint fails")
          .isFalse();
      assertThat(health.snapshot().lastError())
          .as("the last error is kept for the status API")
          .isNotBlank();
      assertThat(handed).as("nothing is observed through a broken endpoint").isEmpty();

      proxy.mode(FaultyRpcProxy.Mode.PASS);
      await(() -> !handed.isEmpty(), "the message after recovery");
      assertThat(handed).hasSize(1);
      assertThat(handed.peek().body().payload()).isEqualTo(payload);
      await(() -> health.ready(System.currentTimeMillis(), 10_000), "readiness after recovery");
      assertThat(health.snapshot().rpcErrors()).isGreaterThanOrEqualTo(2);
    }
  }

  @org.junit.jupiter.api.Test
  void aFloodOfReReadRequestsIsShedAndPollingGoesOn() throws Exception {
    long start = chain.anvil().web3j().ethBlockNumber().send().getBlockNumber().longValue() + 1;
    ChainReader reader =
        new ChainReader(3, chain.rpcUrl(), chain.coreAddress(), Duration.ofSeconds(10));
    ChainHealth health = new ChainHealth(3, "chain-3");
    Observed o = start(reader, start, health);
    ConcurrentLinkedQueue<Observation> handed = o.handed();
    ActorRef<ChainObserver.Command> observer = o.ref();
    EvmClient.Published first =
        chain
            .client(1)
            .publishMessage(chain.coreAddress(), 1, "first".getBytes(StandardCharsets.UTF_8), 200);
    await(() -> handed.size() == 1, "the first message");

    AtomicInteger answered = new AtomicInteger();
    AtomicInteger withTheMessage = new AtomicInteger();
    ActorRef<List<Observation>> replies =
        testKit.spawn(
            Behaviors.receiveMessage(
                obs -> {
                  answered.incrementAndGet();
                  if (!obs.isEmpty()) withTheMessage.incrementAndGet();
                  return Behaviors.same();
                }));
    int flood = 3000;
    Bytes32 tx = Bytes32.fromHex(first.txHash());
    for (int i = 0; i < flood; i++) observer.tell(new ChainObserver.Reobserve(tx, replies));

    byte[] second = "published during the flood".getBytes(StandardCharsets.UTF_8);
    chain.client(1).publishMessage(chain.coreAddress(), 1, second, 200);
    await(() -> handed.size() == 2, "the message published during the flood");
    await(() -> answered.get() == flood, "an answer to every re-read request");
    assertThat(health.rereadsShed())
        .as("requests beyond the re-read queue are shed, not queued")
        .isPositive()
        .isEqualTo(flood - withTheMessage.get());
    assertThat(withTheMessage.get())
        .as("the re-reads that were served found the message")
        .isPositive();
  }

  @org.junit.jupiter.api.Test
  void anEndpointThatLagsBehindHandsOverNothingNewUntilItCatchesUp() throws Exception {
    try (FaultyRpcProxy proxy = FaultyRpcProxy.start(chain.rpcUrl())) {
      long start = chain.anvil().web3j().ethBlockNumber().send().getBlockNumber().longValue() + 1;
      proxy.mode(FaultyRpcProxy.Mode.LAG);
      ChainReader reader =
          new ChainReader(3, proxy.url(), chain.coreAddress(), Duration.ofSeconds(1));
      ChainHealth health = new ChainHealth(3, "chain-3");
      ConcurrentLinkedQueue<Observation> handed = observe(reader, start, health);
      await(
          () -> health.snapshot().head() >= 0,
          "a first successful poll through the lagging endpoint");
      long frozen = health.snapshot().head();

      byte[] payload = "behind a lagging node".getBytes(StandardCharsets.UTF_8);
      chain.client(1).publishMessage(chain.coreAddress(), 1, payload, 200);
      long seen = proxy.requests();
      await(
          () -> proxy.requests() >= seen + 20, "the observer to keep polling the lagging endpoint");
      assertThat(handed).as("a message above the endpoint's head is not observed yet").isEmpty();
      assertThat(health.snapshot().head()).as("the head the endpoint reports").isEqualTo(frozen);
      assertThat(chain.anvil().web3j().ethBlockNumber().send().getBlockNumber().longValue())
          .isGreaterThan(frozen);

      proxy.mode(FaultyRpcProxy.Mode.PASS);
      await(() -> !handed.isEmpty(), "the message once the endpoint caught up");
      assertThat(handed)
          .singleElement()
          .satisfies(o -> assertThat(o.body().payload()).isEqualTo(payload));
    }
  }

  @org.junit.jupiter.api.Test
  void aSecondEndpointTakesOverWhileTheFirstAnswersGarbageAndTheFirstIsUsedAgainOnceItWorks()
      throws Exception {
    try (FaultyRpcProxy first = FaultyRpcProxy.start(chain.rpcUrl())) {
      first.mode(FaultyRpcProxy.Mode.GARBAGE);
      long start = chain.anvil().web3j().ethBlockNumber().send().getBlockNumber().longValue() + 1;
      ChainReader reader =
          new ChainReader(
              3,
              List.of(first.url(), chain.rpcUrl()),
              chain.coreAddress(),
              Duration.ofSeconds(1),
              Duration.ofSeconds(2));
      ChainHealth health = new ChainHealth(3, "chain-3");
      ConcurrentLinkedQueue<Observation> handed = observe(reader, start, health);

      byte[] payload = "past a broken preferred endpoint".getBytes(StandardCharsets.UTF_8);
      chain.client(1).publishMessage(chain.coreAddress(), 1, payload, 200);
      await(
          () -> !handed.isEmpty(),
          "the message through the second endpoint while the first answers garbage");
      assertThat(handed)
          .singleElement()
          .satisfies(o -> assertThat(o.body().payload()).isEqualTo(payload));
      assertThat(health.snapshot().rpcErrors())
          .as("the garbage that moved it to the second endpoint")
          .isPositive();

      first.mode(FaultyRpcProxy.Mode.PASS);
      long before = first.requests();
      await(
          () -> first.requests() >= before + 10,
          "the reader to read from the preferred endpoint again");
      await(
          () -> reader.endpoint().startsWith("endpoint 1 of 2"),
          "the preferred endpoint to stay in use once it works");
      byte[] second = "through the preferred endpoint again".getBytes(StandardCharsets.UTF_8);
      chain.client(1).publishMessage(chain.coreAddress(), 1, second, 200);
      await(() -> handed.size() == 2, "the second message");
      assertThat(reader.endpoint())
          .as("shown without its path")
          .startsWith("endpoint 1 of 2 (http://127.0.0.1:")
          .endsWith("/…)");
    }
  }

  /** A running observer actor and what it handed over. */
  record Observed(ActorRef<ChainObserver.Command> ref, ConcurrentLinkedQueue<Observation> handed) {}

  /**
   * Starts an observer actor on {@code reader} from block {@code start}; what it hands over lands
   * in the queue.
   */
  static ConcurrentLinkedQueue<Observation> observe(
      ChainReader reader, long start, ChainHealth health) {
    return start(reader, start, health).handed();
  }

  static Observed start(ChainReader reader, long start, ChainHealth health) {
    ObserverCore core =
        new ObserverCore(
            reader, new Finality.Tags(), new ObserverCoreIT.MemoryCursors(), start, 1000, 65536);
    ConcurrentLinkedQueue<Observation> handed = new ConcurrentLinkedQueue<>();
    ActorRef<ChainObserver.Command> ref =
        testKit.spawn(
            ChainObserver.create(
                core,
                obs -> {
                  handed.addAll(obs);
                  return CompletableFuture.completedFuture(null);
                },
                new ChainObserver.Settings(Duration.ofMillis(100), Duration.ofMillis(400)),
                health));
    return new Observed(ref, handed);
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(50);
    }
  }
}
