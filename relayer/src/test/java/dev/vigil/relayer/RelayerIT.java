package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.evm.EvmClient;
import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.node.observer.ChainReader;
import dev.vigil.node.observer.ObservedMessage;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import dev.vigil.testing.net.FaultyRpcProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The relayer over real parts: messages really published on anvil chain A, attested by a 4-member
 * test committee, stored in a node's RocksDB and served by the node's real HTTP API; delivered to a
 * MessageReceiver on anvil chain B, whose VigilCore has that committee.
 */
class RelayerIT {
  static final int CHAIN_A = 2;
  static final int CHAIN_B = 3;
  static final Duration WAIT = Duration.ofSeconds(40);

  static TestCommittee committee;
  static LocalChain a;
  static LocalChain b;
  static ChainReader readerA;
  static EvmClient publisher; // A's dev account 1: the routed emitter
  static EvmClient stranger; // A's dev account 0: an emitter without a route
  static ActorSystem<Void> system;
  static String relayerAddress; // B's dev account 1; nothing else sends from it

  @TempDir Path dir;
  MessageReceiverContract receiver; // a fresh one per test, owned by B's dev account 0
  final List<TestNode> nodes = new ArrayList<>();
  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final List<String> gaveUp = new CopyOnWriteArrayList<>();
  Relayer relayer;
  long relayerTxsBefore;

  @BeforeAll
  static void startChains() {
    committee = TestCommittee.create(new Random(11), 0, 4, Secp256k1Backends.preferred());
    EvmToolchain toolchain = EvmToolchain.locate();
    a =
        LocalChain.start(
            toolchain, Anvil.Options.defaults(1337), CHAIN_A, 0, committee.committee().members());
    b =
        LocalChain.start(
            toolchain, Anvil.Options.defaults(31338), CHAIN_B, 0, committee.committee().members());
    readerA = new ChainReader(CHAIN_A, a.rpcUrl(), a.coreAddress(), Duration.ofSeconds(10));
    publisher = a.client(1);
    stranger = a.client(0);
    relayerAddress = b.client(1).address();
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "relayer-it",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopChains() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (readerA != null) readerA.close();
    if (a != null) a.close();
    if (b != null) b.close();
  }

  @BeforeEach
  void freshReceiver() {
    receiver = b.deployReceiver();
    receiver.registerEmitter(CHAIN_A, emitter(publisher));
    relayerTxsBefore = txCount(relayerAddress);
  }

  @AfterEach
  void stop() {
    if (relayer != null) relayer.close();
    nodes.forEach(TestNode::close);
  }

  // ------------------------------------------------------------------ tests

  @Test
  void deliversTwentyMessagesExactlyOnceStoredBeforeItStartedAndLive() {
    TestNode node = node("n1");
    List<Body> bodies = new ArrayList<>();
    for (int i = 0; i < 10; i++)
      bodies.add(node.store(attest(publish(publisher, "early " + i))).body());
    startRelayer(settings(List.of(node.uri()), b.rpcUrl(), routedTo(receiver)));
    for (int i = 0; i < 10; i++)
      bodies.add(node.storeAndPublish(attest(publish(publisher, "live " + i))).body());

    await(
        "20 deliveries",
        () -> relayer.snapshot().delivered() == 20 && relayer.snapshot().inFlight() == 0);

    assertThat(receiver.receivedCount()).isEqualTo(20);
    for (Body body : bodies) {
      assertThat(receiver.isExecuted(body.digest())).isTrue();
      assertThat(receiver.payloadOf(body.digest())).isEqualTo(body.payload());
    }
    assertThat(txCount(relayerAddress) - relayerTxsBefore)
        .as("transactions the relayer sent")
        .isEqualTo(20);
    RelayerSnapshot s = relayer.snapshot();
    assertThat(s.seen()).isEqualTo(20);
    assertThat(s.alreadyExecuted()).isZero();
    assertThat(s.failedAttempts()).isZero();
    assertThat(s.gaveUp()).isZero();
    assertThat(s.skippedNoRoute()).isZero();
    assertThat(s.malformed()).isZero();
    assertThat(s.destinations())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.name()).isEqualTo("chain-b");
              assertThat(d.delivered()).isEqualTo(20);
              assertThat(d.latency().count()).isEqualTo(20);
              assertThat(d.latency().max()).isGreaterThanOrEqualTo(d.latency().p50());
            });
    assertThat(deliveries)
        .extracting(Delivery::digest)
        .containsExactlyInAnyOrderElementsOf(bodies.stream().map(Body::digest).toList());
    assertThat(deliveries)
        .extracting(Delivery::txHash)
        .doesNotHaveDuplicates()
        .allMatch(h -> h.startsWith("0x"));
    assertThat(deliveries)
        .allSatisfy(
            d -> {
              assertThat(d.destination()).isEqualTo("chain-b");
              assertThat(d.attempts()).isEqualTo(1);
            });
    // a figure, printed, not asserted: one sender, one receipt at a time, anvil mining at once
    RelayerSnapshot.Latency l = s.destinations().get(0).latency();
    System.out.printf(
        "relayer figures: 20 deliveries A->B, first seen -> receipt: mean %d ms, p50 %d ms, p99 %d ms, max %d ms%n",
        l.mean().toMillis(), l.p50().toMillis(), l.p99().toMillis(), l.max().toMillis());
  }

  @Test
  void twoNodesServingTheSameAttestationsDeliverEachOnceAndOneNodeDyingCostsNothing() {
    TestNode n1 = node("n1");
    TestNode n2 = node("n2");
    startRelayer(settings(List.of(n1.uri(), n2.uri()), b.rpcUrl(), routedTo(receiver)));
    await(
        "streams open to both nodes",
        () ->
            relayer.snapshot().sources().stream().allMatch(RelayerSnapshot.SourceStats::connected));

    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Body body = publish(publisher, "both " + i);
      n1.storeAndPublish(committee.attest(body, 0, 1, 2));
      n2.storeAndPublish(
          committee.attest(body, 1, 2, 3)); // another quorum: other bytes, same digest
      digests.add(body.digest());
    }
    await("10 deliveries", () -> relayer.snapshot().delivered() == 10);
    n1.close(); // killed: its API and its store are gone
    nodes.remove(n1);
    for (int i = 0; i < 10; i++)
      digests.add(n2.storeAndPublish(attest(publish(publisher, "n2 only " + i))).digest());

    await(
        "20 deliveries",
        () -> relayer.snapshot().delivered() == 20 && relayer.snapshot().inFlight() == 0);
    assertThat(receiver.receivedCount()).isEqualTo(20);
    assertThat(digests).allMatch(receiver::isExecuted);
    assertThat(txCount(relayerAddress) - relayerTxsBefore).isEqualTo(20);
    RelayerSnapshot s = relayer.snapshot();
    assertThat(s.seen()).isEqualTo(20);
    assertThat(s.alreadyExecuted()).isZero();
    assertThat(s.sources())
        .allSatisfy(src -> assertThat(src.events()).isPositive()); // both really served
    assertThat(s.sources().get(0).connected()).isFalse();
    assertThat(deliveries).extracting(Delivery::digest).doesNotHaveDuplicates().hasSize(20);
  }

  @Test
  void aCopyWithABadSignatureFromOneNodeDoesNotKeepTheHonestCopyFromAnotherOut() {
    TestNode liar = node("liar");
    TestNode honest = node("honest");
    Body body = publish(publisher, "one good copy");
    Attestation good = committee.attest(body, 0, 1, 2);
    // same body and digest, but member 1's signature is member 3's: it recovers to the wrong member
    List<GuardianSignature> forged = new ArrayList<>(good.signatures());
    forged.set(
        1,
        new GuardianSignature(1, committee.attest(body, 0, 2, 3).signatures().get(2).signature()));
    liar.store(Attestation.v1(good.committeeIndex(), forged, body));
    startRelayer(settings(List.of(liar.uri()), b.rpcUrl(), routedTo(receiver)));
    await("the liar's copy was read and refused", () -> relayer.snapshot().malformed() >= 1);
    assertThat(relayer.snapshot().seen()).as("the bad copy took no digest").isZero();
    relayer.close();

    honest.store(good);
    startRelayer(settings(List.of(liar.uri(), honest.uri()), b.rpcUrl(), routedTo(receiver)));
    await("the honest copy delivered", () -> relayer.snapshot().delivered() == 1);
    assertThat(receiver.isExecuted(body.digest())).isTrue();
    assertThat(relayer.snapshot().failedAttempts()).as("the bad copy was never sent").isZero();
  }

  @Test
  void streamDroppingMidwayAndComingBackLosesNothing() {
    TestNode node = node("n1");
    startRelayer(settings(List.of(node.uri()), b.rpcUrl(), routedTo(receiver)));
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      digests.add(node.storeAndPublish(attest(publish(publisher, "before " + i))).digest());
    await("5 deliveries", () -> relayer.snapshot().delivered() == 5);

    node.stopApi();
    await("the relayer to notice", () -> relayer.snapshot().sources().get(0).streamsOpen() == 0);
    // attested while nobody could stream them: only a resumed stream brings them
    for (int i = 0; i < 10; i++)
      digests.add(node.store(attest(publish(publisher, "while down " + i))).digest());
    node.startApi();
    await("streams reopened", () -> relayer.snapshot().sources().get(0).connected());
    for (int i = 0; i < 5; i++)
      digests.add(node.storeAndPublish(attest(publish(publisher, "after " + i))).digest());

    await(
        "20 deliveries",
        () -> relayer.snapshot().delivered() == 20 && relayer.snapshot().inFlight() == 0);
    assertThat(receiver.receivedCount()).isEqualTo(20);
    assertThat(digests).allMatch(receiver::isExecuted);
    assertThat(txCount(relayerAddress) - relayerTxsBefore).isEqualTo(20);
    RelayerSnapshot s = relayer.snapshot();
    assertThat(s.seen()).isEqualTo(20);
    assertThat(s.alreadyExecuted()).isZero();
    assertThat(s.sources().get(0).connects())
        .isGreaterThanOrEqualTo(6); // three streams, each opened twice at least
  }

  @Test
  void destinationRpcDownIsRetriedAndDeliveredAfterRecoveryWithOneWarningPerMessage() {
    TestNode node = node("n1");
    ListAppender<ILoggingEvent> logs = capture(DestinationSender.class);
    try (FaultyRpcProxy proxy = FaultyRpcProxy.start(b.rpcUrl())) {
      startRelayer(settings(List.of(node.uri()), proxy.url(), routedTo(receiver)));
      // one delivery while the destination answers: the relayer has read the committee it checks
      // against
      Digest first = node.storeAndPublish(attest(publish(publisher, "rpc up"))).digest();
      await("the first delivery", () -> relayer.snapshot().delivered() == 1);
      proxy.mode(FaultyRpcProxy.Mode.HTTP_500);
      List<Digest> digests = new ArrayList<>();
      for (int i = 0; i < 5; i++)
        digests.add(node.storeAndPublish(attest(publish(publisher, "rpc down " + i))).digest());
      await(
          "every message to fail at least 3 times",
          () -> relayer.snapshot().failedAttempts() >= 15);
      proxy.mode(FaultyRpcProxy.Mode.DROP);
      long failed = relayer.snapshot().failedAttempts();
      await(
          "failures with dropped connections too",
          () -> relayer.snapshot().failedAttempts() >= failed + 5);
      assertThat(relayer.snapshot().delivered()).isEqualTo(1);
      assertThat(receiver.receivedCount()).isEqualTo(1);

      proxy.mode(FaultyRpcProxy.Mode.PASS);
      await(
          "5 more deliveries after recovery",
          () -> relayer.snapshot().delivered() == 6 && relayer.snapshot().inFlight() == 0);

      assertThat(receiver.receivedCount()).isEqualTo(6);
      assertThat(digests).allMatch(receiver::isExecuted);
      assertThat(receiver.isExecuted(first)).isTrue();
      assertThat(txCount(relayerAddress) - relayerTxsBefore).isEqualTo(6);
      RelayerSnapshot s = relayer.snapshot();
      assertThat(s.gaveUp()).isZero();
      assertThat(s.alreadyExecuted()).isZero();
      assertThat(deliveries).hasSize(6);
      assertThat(deliveries.subList(1, 6))
          .allSatisfy(d -> assertThat(d.attempts()).isGreaterThan(1));
      // one warning per message and episode, however many attempts failed
      List<String> warnings =
          logs.list.stream()
              .filter(e -> e.getLevel() == Level.WARN)
              .map(ILoggingEvent::getFormattedMessage)
              .toList();
      assertThat(warnings).hasSize(5).allMatch(w -> w.startsWith("delivery of " + CHAIN_A + "/"));
      assertThat(
              logs.list.stream()
                  .filter(
                      e ->
                          e.getLevel() == Level.INFO
                              && e.getFormattedMessage().startsWith("delivered ")))
          .as("an INFO line for each delivery that needed retries")
          .hasSize(5);
    } finally {
      release(logs, DestinationSender.class);
    }
  }

  @Test
  void aTransactionWhoseAnswerWasLostIsFoundOnChainAndNotSentAgain() throws IOException {
    TestNode node = node("n1");
    try (FaultyRpcProxy proxy = FaultyRpcProxy.start(b.rpcUrl())) {
      proxy.loseNextSends(1);
      startRelayer(settings(List.of(node.uri()), proxy.url(), routedTo(receiver)));
      Body body = node.storeAndPublish(attest(publish(publisher, "answer lost"))).body();

      await("the delivery", () -> relayer.snapshot().delivered() == 1);

      assertThat(proxy.lost()).isEqualTo(1);
      assertThat(receiver.receivedCount()).isEqualTo(1);
      assertThat(txCount(relayerAddress) - relayerTxsBefore).isEqualTo(1);
      RelayerSnapshot s = relayer.snapshot();
      assertThat(s.alreadyExecuted())
          .as("our own transaction is a delivery, not someone else's")
          .isZero();
      assertThat(s.failedAttempts()).isPositive();
      assertThat(deliveries)
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.digest()).isEqualTo(body.digest());
                assertThat(d.attempts()).isGreaterThan(1);
                assertThat(receiptFrom(d.txHash())).isEqualToIgnoringCase(relayerAddress);
              });
    }
  }

  @Test
  void messagesExecutedByAnotherRelayerAreCountedAndNotSent() {
    TestNode node = node("n1");
    List<Attestation> attestations = new ArrayList<>();
    for (int i = 0; i < 3; i++) attestations.add(attest(publish(publisher, "raced " + i)));
    receiver.receiveMessage(
        attestations.get(1).encode()); // someone else (B's dev account 0) was first
    startRelayer(settings(List.of(node.uri()), b.rpcUrl(), routedTo(receiver)));
    attestations.forEach(node::storeAndPublish);

    await(
        "3 done", () -> relayer.snapshot().delivered() + relayer.snapshot().alreadyExecuted() == 3);
    RelayerSnapshot s = relayer.snapshot();
    assertThat(s.delivered()).isEqualTo(2);
    assertThat(s.alreadyExecuted()).isEqualTo(1);
    assertThat(receiver.receivedCount()).isEqualTo(3);
    assertThat(txCount(relayerAddress) - relayerTxsBefore).isEqualTo(2);
    assertThat(deliveries)
        .extracting(Delivery::digest)
        .doesNotContain(attestations.get(1).digest());
  }

  @Test
  void attestationWithoutARouteIsSkippedAndCounted() {
    TestNode node = node("n1");
    startRelayer(settings(List.of(node.uri()), b.rpcUrl(), routedTo(receiver)));
    await("streams open", () -> relayer.snapshot().sources().get(0).connected());
    Attestation unrouted = node.storeAndPublish(attest(publish(stranger, "nobody routes me")));
    Attestation routed = node.storeAndPublish(attest(publish(publisher, "routed")));

    await(
        "the routed one delivered and the other skipped",
        () -> relayer.snapshot().delivered() == 1 && relayer.snapshot().skippedNoRoute() == 1);
    RelayerSnapshot s = relayer.snapshot();
    assertThat(s.seen()).isEqualTo(2);
    assertThat(s.failedAttempts()).isZero();
    assertThat(receiver.isExecuted(routed.digest())).isTrue();
    assertThat(receiver.isExecuted(unrouted.digest())).isFalse();
    assertThat(txCount(relayerAddress) - relayerTxsBefore).isEqualTo(1);
  }

  @Test
  void aMessageTheReceiverRefusesIsRetriedUntilGiveUpWithoutHoldingUpOthers() {
    TestNode node = node("n1");
    RelayerSettings.Destination chainB = destination(b.rpcUrl(), receiver);
    // the stranger is routed, but the receiver has not registered it: every attempt reverts
    List<RelayerSettings.Route> routes =
        List.of(
            new RelayerSettings.Route(CHAIN_A, emitter(publisher), chainB),
            new RelayerSettings.Route(CHAIN_A, emitter(stranger), chainB));
    startRelayer(
        settings(List.of(node.uri()), b.rpcUrl(), routes).withGiveUpAfter(Duration.ofSeconds(3)));
    Attestation refused = node.storeAndPublish(attest(publish(stranger, "refused")));
    List<Digest> fine = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      fine.add(node.storeAndPublish(attest(publish(publisher, "fine " + i))).digest());

    await("the refused one given up", () -> relayer.snapshot().gaveUp() == 1);
    RelayerSnapshot s = relayer.snapshot();
    assertThat(s.delivered()).isEqualTo(3);
    assertThat(deliveries).extracting(Delivery::digest).containsExactlyInAnyOrderElementsOf(fine);
    assertThat(gaveUp)
        .singleElement()
        .satisfies(
            g -> assertThat(g).contains(refused.messageId().toString(), "emitter not registered"));
    assertThat(s.failedAttempts()).isGreaterThanOrEqualTo(2);
    assertThat(s.inFlight()).isZero();
    assertThat(s.malformed()).as("keep-alives are not attestations").isZero();
    assertThat(receiver.isExecuted(refused.digest())).isFalse();
    assertThat(receiver.receivedCount()).isEqualTo(3);
    assertThat(txCount(relayerAddress) - relayerTxsBefore)
        .as("a refused estimate sends nothing")
        .isEqualTo(3);
  }

  @Test
  void aNodeThatHangsIsReopenedAfterTheIdleTimeoutWhileAnotherKeepsDelivering() throws IOException {
    TestNode node = node("n1");
    try (SilentNode hung = new SilentNode()) {
      startRelayer(
          settings(List.of(hung.uri(), node.uri()), b.rpcUrl(), routedTo(receiver))
              .withStreamIdleTimeout(Duration.ofMillis(1500)));
      List<Digest> digests = new ArrayList<>();
      for (int i = 0; i < 3; i++)
        digests.add(
            node.storeAndPublish(attest(publish(publisher, "past a hung node " + i))).digest());

      await("3 deliveries", () -> relayer.snapshot().delivered() == 3);
      // its two streams (all, and the route's), each opened, found silent, and opened again
      // the relayer counts a connect once the answer's headers are in, a moment after the accept
      await(
          "the hung node's streams reopened",
          () -> hung.accepted() >= 4 && relayer.snapshot().sources().get(0).connects() >= 4);
      assertThat(relayer.snapshot().sources().get(0).events()).isZero();
      assertThat(digests).allMatch(receiver::isExecuted);
      // the real node's keep-alives (every second) kept its streams open all along: everything,
      // the route's, and its governance attestations (rotations to install)
      assertThat(relayer.snapshot().sources().get(1).connects()).isEqualTo(3);
    }
  }

  @Test
  void sixtyMessagesAttestedAtOnceArriveExactlyOnceInFewBlocksOfAOneSecondChain()
      throws IOException {
    burstToOneSecondChain(0);
  }

  @Test
  void lostSendAnswersInTheMiddleOfABurstLeaveNoNonceGapAndNoDuplicate() throws IOException {
    burstToOneSecondChain(3);
  }

  /**
   * 60 attestations stored before the relayer starts, delivered to a fresh chain that mines a block
   * a second; {@code lostAnswers} answers to sends (the 5th on) are dropped by a proxy after the
   * chain took the transaction.
   */
  void burstToOneSecondChain(int lostAnswers) throws IOException {
    int n = 60;
    try (LocalChain c =
            LocalChain.start(
                EvmToolchain.locate(),
                Anvil.Options.defaults(31339).withBlockTime(Duration.ofSeconds(1)),
                4,
                0,
                committee.committee().members());
        FaultyRpcProxy proxy = FaultyRpcProxy.start(c.rpcUrl())) {
      MessageReceiverContract slow = c.deployReceiver();
      slow.registerEmitter(CHAIN_A, emitter(publisher));
      TestNode node = node("n1");
      List<Digest> digests = new ArrayList<>();
      for (int i = 0; i < n; i++)
        digests.add(node.store(attest(publish(publisher, "burst " + i))).digest());
      var web3 = c.anvil().web3j();
      long txsBefore =
          web3.ethGetTransactionCount(relayerAddress, DefaultBlockParameterName.LATEST)
              .send()
              .getTransactionCount()
              .longValueExact();
      RelayerSettings.Destination chainC =
          new RelayerSettings.Destination(
              "chain-c", URI.create(c.rpcUrl()), c.anvil().evmChainId(), slow.address());

      long t0 = System.nanoTime();
      startRelayer(
          settings(
              List.of(node.uri()),
              proxy.url(),
              List.of(new RelayerSettings.Route(CHAIN_A, emitter(publisher), chainC))));
      if (lostAnswers > 0) {
        await(
            "the first sends",
            () -> relayer.snapshot().delivered() + relayer.snapshot().inFlight() > 0);
        proxy.loseNextSends(lostAnswers);
      }
      await(
          n + " deliveries",
          () -> relayer.snapshot().delivered() == n && relayer.snapshot().inFlight() == 0);
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

      assertThat(slow.receivedCount()).isEqualTo(n);
      assertThat(digests).allMatch(slow::isExecuted);
      long txs =
          web3.ethGetTransactionCount(relayerAddress, DefaultBlockParameterName.LATEST)
                  .send()
                  .getTransactionCount()
                  .longValueExact()
              - txsBefore;
      assertThat(txs).as("transactions the relayer sent: one per message, none twice").isEqualTo(n);
      assertThat(proxy.lost()).isEqualTo(lostAnswers);
      RelayerSnapshot s = relayer.snapshot();
      assertThat(s.alreadyExecuted()).isZero();
      assertThat(s.gaveUp()).isZero();
      if (lostAnswers == 0) assertThat(s.failedAttempts()).isZero();
      assertThat(deliveries)
          .extracting(Delivery::digest)
          .containsExactlyInAnyOrderElementsOf(digests);
      java.util.Set<java.math.BigInteger> blocks = new java.util.TreeSet<>();
      for (Delivery d : deliveries) {
        var r =
            web3.ethGetTransactionReceipt(d.txHash()).send().getTransactionReceipt().orElseThrow();
        assertThat(r.getFrom()).isEqualToIgnoringCase(relayerAddress);
        blocks.add(r.getBlockNumber());
      }
      assertThat(blocks.size()).as("blocks the %d deliveries landed in", n).isLessThan(20);
      RelayerSnapshot.Latency l = s.destinations().get(0).latency();
      System.out.printf(
          "relayer figures: %d messages attested at once, 1 s blocks, %d lost send answers, %d in flight:"
              + " all delivered in %d ms over %d blocks; first seen -> receipt p50 %d ms, max %d ms%n",
          n,
          lostAnswers,
          relayer.settings().maxPendingTransactions(),
          elapsedMs,
          blocks.size(),
          l.p50().toMillis(),
          l.max().toMillis());
    }
  }

  // ------------------------------------------------------------------ fixtures

  TestNode node(String name) {
    TestNode n = new TestNode(system, committee, dir.resolve(name));
    nodes.add(n);
    return n;
  }

  static RelayerSettings.Destination destination(String rpcUrl, MessageReceiverContract receiver) {
    return new RelayerSettings.Destination(
        "chain-b", URI.create(rpcUrl), b.anvil().evmChainId(), receiver.address());
  }

  List<RelayerSettings.Route> routedTo(MessageReceiverContract receiver) {
    return List.of(
        new RelayerSettings.Route(CHAIN_A, emitter(publisher), destination(b.rpcUrl(), receiver)));
  }

  /** Short delays, so that tests spend little time waiting for backoffs. */
  static RelayerSettings settings(
      List<URI> nodes, String rpcUrl, List<RelayerSettings.Route> routes) {
    List<RelayerSettings.Route> viaRpc =
        routes.stream()
            .map(
                r ->
                    new RelayerSettings.Route(
                        r.emitterChain(),
                        r.emitter(),
                        new RelayerSettings.Destination(
                            r.destination().name(),
                            URI.create(rpcUrl),
                            r.destination().evmChainId(),
                            r.destination().receiver())))
            .toList();
    return RelayerSettings.of(nodes, viaRpc, Anvil.DEV_KEY_1)
        .withRetry(Duration.ofMillis(50), Duration.ofMillis(400))
        .withGiveUpAfter(Duration.ofMinutes(2))
        .withReconnect(Duration.ofMillis(50), Duration.ofMillis(500))
        .withStreamIdleTimeout(Duration.ofSeconds(5))
        .withRpcTimeout(Duration.ofSeconds(5));
  }

  void startRelayer(RelayerSettings settings) {
    relayer =
        new Relayer(
                settings,
                new RelayerListener() {
                  @Override
                  public void onDelivered(Delivery d) {
                    deliveries.add(d);
                  }

                  @Override
                  public void onGaveUp(
                      MessageId id,
                      Digest digest,
                      String destination,
                      int attempts,
                      String lastError) {
                    gaveUp.add(id + " " + lastError);
                  }
                })
            .start();
  }

  static Bytes32 emitter(EvmClient account) {
    return Bytes32.leftPad(Address.fromHex(account.address()));
  }

  /** Publishes on A and reads the message back from A's receipt logs, as an observer would. */
  static Body publish(EvmClient from, String text) {
    EvmClient.Published p =
        from.publishMessage(a.coreAddress(), 7, text.getBytes(StandardCharsets.UTF_8), 200);
    List<ObservedMessage> seen = readerA.messagesInTransaction(p.txHash());
    assertThat(seen).hasSize(1);
    ObservedMessage m = seen.get(0);
    return new Body(
        m.timestamp(),
        m.nonce(),
        m.emitterChain(),
        Bytes32.wrap(m.emitterAddress()),
        m.sequence(),
        m.consistencyLevel(),
        m.payload());
  }

  static Attestation attest(Body body) {
    return committee.attestQuorum(body);
  }

  static long txCount(String address) {
    try {
      return b.anvil()
          .web3j()
          .ethGetTransactionCount(address, DefaultBlockParameterName.LATEST)
          .send()
          .getTransactionCount()
          .longValueExact();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static String receiptFrom(String txHash) {
    try {
      return b.anvil()
          .web3j()
          .ethGetTransactionReceipt(txHash)
          .send()
          .getTransactionReceipt()
          .orElseThrow()
          .getFrom();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Polls {@code condition} until it holds; fails after {@link #WAIT} with the relayer's counters.
   */
  void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "waited "
                + WAIT.toSeconds()
                + " s for "
                + what
                + "; relayer: "
                + (relayer == null
                    ? "-"
                    : relayer.snapshot().summary() + " " + relayer.snapshot().sources()));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static ListAppender<ILoggingEvent> capture(Class<?> type) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
    return appender;
  }

  static void release(ListAppender<ILoggingEvent> appender, Class<?> type) {
    ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
  }
}
