package dev.vigil.node.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.evm.EvmClient;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Hex;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import dev.vigil.testing.net.FaultyRpcProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Agreement mode against a real anvil chain read through three endpoints, one of which lies about a
 * log's payload: the lie is never signed, the operator is told which endpoint disagreed, and the
 * message the honest endpoints agree on is signed.
 */
class AgreementReaderIT {
  static final int CHAIN = 4;
  static final String HONEST = "payload the chain has";
  static final String FORGED = "payload a liar claims"; // same length: the log stays well-formed
  static LocalChain chain;
  FaultyRpcProxy honest;
  FaultyRpcProxy liar;
  ListAppender<ILoggingEvent> warnings;

  @BeforeAll
  static void startChain() {
    chain =
        LocalChain.start(
            EvmToolchain.locate(),
            Anvil.Options.defaults(31339),
            CHAIN,
            0,
            List.of(Address.fromHex("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")));
  }

  @AfterAll
  static void stopChain() {
    if (chain != null) chain.close();
  }

  @BeforeEach
  void endpoints() {
    honest = FaultyRpcProxy.start(chain.rpcUrl());
    liar = FaultyRpcProxy.start(chain.rpcUrl());
    liar.forge(
        Hex.encode(HONEST.getBytes(StandardCharsets.UTF_8)),
        Hex.encode(FORGED.getBytes(StandardCharsets.UTF_8)));
    warnings = new ListAppender<>();
    warnings.start();
    ((Logger) LoggerFactory.getLogger(AgreementReader.class)).addAppender(warnings);
  }

  @AfterEach
  void close() {
    ((Logger) LoggerFactory.getLogger(AgreementReader.class)).detachAppender(warnings);
    honest.close();
    liar.close();
  }

  static ChainReader reader(String url) {
    return new ChainReader(CHAIN, url, chain.coreAddress(), Duration.ofSeconds(10));
  }

  long nextBlock() throws Exception {
    return chain.anvil().web3j().ethBlockNumber().send().getBlockNumber().longValue() + 1;
  }

  @Test
  void aLyingEndpointIsOutvotedNamedAndItsLogNeverSigned() throws Exception {
    long start = nextBlock();
    EvmClient.Published p =
        chain
            .client(1)
            .publishMessage(chain.coreAddress(), 1, HONEST.getBytes(StandardCharsets.UTF_8), 200);
    AgreementReader reader =
        new AgreementReader(
            CHAIN, List.of(reader(chain.rpcUrl()), reader(liar.url()), reader(honest.url())), 2);
    ObserverCore core =
        new ObserverCore(
            reader, new Finality.Tags(), new ObserverCoreIT.MemoryCursors(), start, 1000, 65536);

    List<Observation> signed = ObserverCoreIT.drain(core);

    assertThat(ObserverCoreIT.payloads(signed)).containsExactly(HONEST);
    assertThat(liar.requests()).as("the liar was asked").isPositive();
    assertThat(warnings.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .asString()
        .contains("NOT SIGNING")
        .contains("only endpoint 2 (" + liar.url().replaceFirst("/$", "") + "/…) returned it")
        .contains("endpoint 1 (")
        .contains("endpoint 3 (");
    // a peer's re-read request goes through the same vote
    assertThat(core.reobserve(Bytes32.fromHex(p.txHash())))
        .extracting(o -> new String(o.body().payload(), StandardCharsets.UTF_8))
        .containsExactly(HONEST);
  }

  @Test
  void withoutEnoughAgreementNothingIsSignedAndTheReadIsRetriedNotSkipped() throws Exception {
    long start = nextBlock();
    chain
        .client(1)
        .publishMessage(chain.coreAddress(), 1, HONEST.getBytes(StandardCharsets.UTF_8), 200);
    ObserverCore core =
        new ObserverCore(
            new AgreementReader(CHAIN, List.of(reader(honest.url()), reader(liar.url())), 2),
            new Finality.Tags(),
            new ObserverCoreIT.MemoryCursors(),
            start,
            1000,
            65536);

    assertThatThrownBy(core::poll)
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("endpoints disagree")
        .hasMessageContaining("only endpoint 1")
        .hasMessageContaining("endpoint 2");
    // once the endpoint answers truly, the same range is read again and the message signed
    liar.mode(FaultyRpcProxy.Mode.PASS);
    assertThat(ObserverCoreIT.payloads(ObserverCoreIT.drain(core))).containsExactly(HONEST);
  }
}
