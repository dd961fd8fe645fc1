package dev.vigil.relayer.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.RogueNode;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.evm.EquivocationSubmission;
import dev.vigil.evm.EvidenceFeed;
import dev.vigil.evm.VigilStakingContract;
import dev.vigil.node.cli.Vigil;
import dev.vigil.node.http.AttestationHub;
import dev.vigil.node.http.HttpApi;
import dev.vigil.node.http.HttpApiSettings;
import dev.vigil.node.http.Readiness;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.relayer.Relayer;
import dev.vigil.relayer.RelayerSettings;
import dev.vigil.signing.Address;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import dev.vigil.signing.keystore.KdfParams;
import dev.vigil.signing.keystore.KeyFile;
import dev.vigil.storage.EvidenceRecord;
import dev.vigil.testing.cli.CommandRun;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Convert;
import org.web3j.utils.Numeric;

/**
 * Stake at work, end to end over real parts: a 4-member committee (real actor systems, real
 * RocksDB) whose member 3 is a {@link RogueNode} that signs two bodies for each of a few messages
 * and, like an operator running two instances with one key, answers body requests for its second
 * bodies; a real anvil chain with VigilCore (the committee installed) and VigilStaking, where
 * delegators bonded ETH behind member 3. The honest members keep the evidence, fetch the missing
 * bodies, and serve complete submissions on the node's real {@code /v1/evidence}; {@code vigil
 * evidence submit} slashes member 3 with one of them, a second submission is refused as already
 * slashed, evidence forged against an honest member is refused, and the relayer's opt-in submission
 * slashes the rest.
 */
class EquivocationSlashingIT {
  static final Duration LONG = Duration.ofSeconds(120);
  static final int SLASH_BPS = 1000; // 10 %
  static final int REPORTER_BPS = 2000; // 20 % of what is slashed

  @TempDir Path dir;

  @Test
  void honestGuardiansCompleteTheEvidenceAndItSlashesTheEquivocatorOnChain() throws Exception {
    List<Observation> messages = Observations.generate(5, 41, 48);
    EvmToolchain toolchain = EvmToolchain.locate();
    try (LocalCommittee c =
            LocalCommittee.create(
                4,
                dir.resolve("committee"),
                ConfigFactory.empty(),
                Secp256k1Backends.preferred(),
                41);
        LocalChain chain =
            LocalChain.start(
                toolchain,
                Anvil.Options.defaults(31339),
                7,
                LocalCommittee.COMMITTEE_INDEX,
                c.committee().members())) {
      Address rogueAddress = c.committee().member(3);
      Address honestAddress = c.committee().member(0);
      VigilStakingContract staking =
          VigilStakingContract.deploy(
              chain.client(0),
              toolchain.artifact("VigilStaking"),
              chain.coreAddress(),
              Optional.empty(),
              3600,
              SLASH_BPS,
              REPORTER_BPS);
      BigInteger ten = Convert.toWei("10", Convert.Unit.ETHER).toBigIntegerExact();
      BigInteger five = Convert.toWei("5", Convert.Unit.ETHER).toBigIntegerExact();
      staking.withClient(chain.client(1)).delegateEth(rogueAddress, ten);
      staking.withClient(chain.client(2)).delegateEth(rogueAddress, five);
      staking.withClient(chain.client(3)).delegateEth(honestAddress, five);
      BigInteger rogueStake = staking.stakeOf(rogueAddress);
      assertThat(rogueStake).isEqualTo(ten.add(five));

      for (int i = 0; i < 3; i++) c.start(i);
      List<Body> second = messages.stream().map(o -> alter(o.body())).toList();
      try (RogueNode rogue = RogueNode.asMember(c, 3)) {
        var honest = rogue.awaitInboxes(c.committee().index(), 3, LONG);
        var answered = rogue.answerBodyRequests(c.committee().index(), second);
        Signer bad = c.signer(3);
        for (int k = 0; k < messages.size(); k++) {
          Observation o = messages.get(k);
          Body other = second.get(k);
          var both =
              WireCodec.batch(
                  c.committee().index(),
                  3,
                  List.of(
                      SignedObservation.of(
                          c.committee().index(),
                          3,
                          other,
                          bad.sign(other.digest().toBytes()),
                          o.txHash()),
                      SignedObservation.of(
                          c.committee().index(),
                          3,
                          o.body(),
                          bad.sign(o.digest().toBytes()),
                          o.txHash())),
                  bad);
          honest.forEach(h -> h.tell(both));
        }
        for (Observation o : messages) for (int i = 0; i < 3; i++) c.observe(i, o);

        // Every honest member keeps each equivocation and completes it: its own body from its
        // store, the second one from the rogue's answer to its body request.
        for (int i = 0; i < 3; i++) {
          int m = i;
          await(
              "member " + m + " holds complete evidence for all " + messages.size() + " messages",
              () -> completeSubmissions(c, m).size() == messages.size());
        }
        assertThat(answered.get()).as("body requests the rogue answered").isPositive();

        ActorSystem<Void> apiSystem =
            ActorSystem.create(
                Behaviors.empty(),
                "evidence-api",
                ConfigFactory.parseString("pekko.actor.provider = local")
                    .withFallback(ConfigFactory.load()));
        HttpApi api = null;
        try {
          api = startApi(apiSystem, c, 0);
          URI apiUri = URI.create("http://127.0.0.1:" + api.address().getPort());
          List<EvidenceFeed.Piece> pieces = EvidenceFeed.parse(get(apiUri + "/v1/evidence"));
          assertThat(pieces).hasSize(messages.size());
          assertThat(pieces).allMatch(p -> p.submission().isPresent(), "every piece is complete");
          EquivocationSubmission first = pieces.get(0).submission().get();
          assertThat(first.signer()).isEqualTo(rogueAddress);
          assertThat(first.signerIndex()).isEqualTo(3);

          // vigil evidence submit, as an operator runs it, from a reporter's key file
          var reporter = chain.anvil().devAccount(5);
          Path key = writeKeyFile(reporter);
          BigInteger balanceBefore = balance(chain, reporter.getAddress());
          String[] args = {
            "evidence",
            "submit",
            "--api",
            apiUri.toString(),
            "--rpc",
            chain.rpcUrl(),
            "--staking",
            staking.address(),
            "--key",
            key.toString(),
            "--password-file",
            dir.resolve("password").toString(),
            "--index",
            "0"
          };
          CommandRun run = CommandRun.of(Vigil.commandLine(), args);
          System.out.println("vigil evidence submit (first):\n" + run.out() + run.err());
          assertThat(run.exit()).as(run.toString()).isZero();
          assertThat(run.out()).doesNotContain(hexOf(reporter));
          Matcher tx =
              Pattern.compile(
                      "slashed (\\d+) wei of .*, reward (\\d+) wei to .*; tx (0x[0-9a-f]{64}), gas used (\\d+)")
                  .matcher(run.out());
          assertThat(tx.find()).as(run.out()).isTrue();
          BigInteger slashed = new BigInteger(tx.group(1));
          BigInteger reward = new BigInteger(tx.group(2));
          BigInteger expectedSlash =
              rogueStake.multiply(BigInteger.valueOf(SLASH_BPS)).divide(BigInteger.valueOf(10_000));
          BigInteger expectedReward =
              expectedSlash
                  .multiply(BigInteger.valueOf(REPORTER_BPS))
                  .divide(BigInteger.valueOf(10_000));
          assertThat(slashed).isEqualTo(expectedSlash);
          assertThat(reward).isEqualTo(expectedReward);
          assertThat(staking.stakeOf(rogueAddress)).isEqualTo(rogueStake.subtract(expectedSlash));
          var receipt =
              chain
                  .anvil()
                  .web3j()
                  .ethGetTransactionReceipt(tx.group(3))
                  .send()
                  .getTransactionReceipt()
                  .orElseThrow();
          BigInteger gasCost =
              receipt.getGasUsed().multiply(Numeric.decodeQuantity(receipt.getEffectiveGasPrice()));
          assertThat(balance(chain, reporter.getAddress()))
              .as("the reporter is paid its reward (less the gas it spent)")
              .isEqualTo(balanceBefore.add(expectedReward).subtract(gasCost));
          var id =
              dev.vigil.signing.MessageId.decode(
                  Numeric.hexStringToByteArray(first.messageIdHex()));
          assertThat(
                  staking.isSlashed(
                      rogueAddress, id.emitterChain(), id.emitterAddress(), id.sequence()))
              .isTrue();

          // the same piece again: refused by the contract as already slashed, and that is no
          // failure
          CommandRun again = CommandRun.of(Vigil.commandLine(), args);
          System.out.println("vigil evidence submit (again):\n" + again.out() + again.err());
          assertThat(again.exit()).as(again.toString()).isZero();
          assertThat(again.out()).contains("already slashed, skipped");
          assertThat(staking.stakeOf(rogueAddress)).isEqualTo(rogueStake.subtract(expectedSlash));

          // evidence forged against honest member 0: its real signature over the first body, the
          // rogue's over the second, submitted as member 0's
          Observation o = messages.get(0);
          EquivocationSubmission forged =
              new EquivocationSubmission(
                  c.committee().index(),
                  0,
                  honestAddress,
                  o.body().encode(),
                  c.signer(0).sign(o.digest().toBytes()),
                  second.get(0).encode(),
                  bad.sign(second.get(0).digest().toBytes()));
          VigilStakingContract.Outcome refused =
              staking.withClient(chain.client(5)).trySubmit(forged);
          System.out.println("forged evidence against member 0: " + refused.describe());
          assertThat(refused).isInstanceOf(VigilStakingContract.Refused.class);
          assertThat(((VigilStakingContract.Refused) refused).error().name())
              .startsWith("WrongSigner(");
          assertThat(staking.stakeOf(honestAddress)).isEqualTo(five);

          // the relayer's opt-in submission takes the remaining pieces, each once
          var relayerAccount = chain.anvil().devAccount(6);
          var destination =
              new RelayerSettings.Destination(
                  "alpha",
                  URI.create(chain.rpcUrl()),
                  chain.anvil().evmChainId(),
                  chain.coreAddress());
          RelayerSettings settings =
              RelayerSettings.of(List.of(apiUri), List.of(), hexOf(relayerAccount))
                  .withEvidence(
                      Optional.of(
                          new RelayerSettings.EvidenceSubmission(
                              staking.address(),
                              destination,
                              Duration.ofMillis(500),
                              relayerAccount)));
          try (Relayer relayer = new Relayer(settings).start()) {
            await(
                "the relayer slashed member 3 for every message",
                () ->
                    messages.stream()
                        .allMatch(
                            m ->
                                staking.isSlashed(
                                    rogueAddress,
                                    m.messageId().emitterChain(),
                                    m.messageId().emitterAddress(),
                                    m.messageId().sequence())));
          }
          BigInteger left = rogueStake;
          for (int k = 0; k < messages.size(); k++)
            left =
                left.subtract(
                    left.multiply(BigInteger.valueOf(SLASH_BPS))
                        .divide(BigInteger.valueOf(10_000)));
          assertThat(staking.stakeOf(rogueAddress)).as("one slash per message").isEqualTo(left);
          assertThat(staking.stakeOf(honestAddress)).isEqualTo(five);
        } finally {
          if (api != null) api.close();
          apiSystem.terminate();
          apiSystem.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static List<EquivocationSubmission> completeSubmissions(LocalCommittee c, int member) {
    List<EquivocationSubmission> out = new ArrayList<>();
    c.db(member)
        .evidence()
        .forEach(
            (EvidenceRecord r) -> {
              if (EquivocationSubmission.from(
                      WireCodec.decodeEquivocation(r.evidence()), r.signer())
                  instanceof EquivocationSubmission.Complete done) out.add(done.submission());
              return true;
            });
    return out;
  }

  private static HttpApi startApi(ActorSystem<?> system, LocalCommittee c, int member)
      throws Exception {
    return HttpApi.start(
            system,
            HttpApiSettings.defaults().withHost("127.0.0.1").withPort(0),
            new HttpApi.Dependencies(
                c.db(member).attestations(),
                c.db(member).evidence(),
                c::committee,
                () ->
                    CompletableFuture.failedFuture(
                        new UnsupportedOperationException("no status here")),
                new AttestationHub(),
                new NodeMetrics(),
                Readiness.builder().build()))
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private Path writeKeyFile(org.web3j.crypto.Credentials account) throws Exception {
    Path password = dir.resolve("password");
    Files.writeString(password, "reporter password\n");
    Files.setPosixFilePermissions(
        password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Path key = dir.resolve("reporter.key.json");
    KeyFile.create(
        key,
        "reporter password".toCharArray(),
        PrivateKey.fromBytes(Numeric.toBytesPadded(account.getEcKeyPair().getPrivateKey(), 32)),
        KdfParams.LIGHT);
    return key;
  }

  private static String hexOf(org.web3j.crypto.Credentials account) {
    return Numeric.toHexStringNoPrefixZeroPadded(account.getEcKeyPair().getPrivateKey(), 64);
  }

  private static BigInteger balance(LocalChain chain, String address) throws Exception {
    return chain
        .anvil()
        .web3j()
        .ethGetBalance(address, DefaultBlockParameterName.LATEST)
        .send()
        .getBalance();
  }

  private static String get(String uri) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(uri + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("not within " + LONG + ": " + what);
      Thread.sleep(200);
    }
  }

  private static Body alter(Body b) {
    return new Body(
        b.timestamp(),
        b.nonce() ^ 0xff,
        b.emitterChain(),
        b.emitterAddress(),
        b.sequence(),
        b.consistencyLevel(),
        b.payload());
  }
}
