package dev.vigil.devnet;

import dev.vigil.evm.EvmClient;
import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.relayer.RelayerSettings;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The devnet's two anvil chains, each with VigilCore and a MessageReceiver that accepts the other
 * chain's traffic sender (anvil account 1). Index 0 is alpha (Vigil chain id 1), 1 is beta (2).
 */
final class Chains implements AutoCloseable {
  static final String[] NAMES = {"alpha", "beta"};

  private final List<LocalChain> chains = new ArrayList<>();
  private final List<MessageReceiverContract> receivers = new ArrayList<>();
  private final List<EvmClient> senders = new ArrayList<>();
  private final Bytes32[] emitters = new Bytes32[2];

  /**
   * @param port chain index → the port its anvil listens on; called right before that anvil starts
   * @param say where each chain's addresses are reported
   */
  static Chains start(
      EvmToolchain toolchain, List<Address> committee, IntUnaryOperator port, Devnet.Say say) {
    Chains c = new Chains();
    try {
      c.startAll(toolchain, committee, port, say);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void startAll(
      EvmToolchain toolchain, List<Address> committee, IntUnaryOperator port, Devnet.Say say) {
    for (int c = 0; c < 2; c++) {
      // 0.5 s blocks; safe = head - 1, finalized = head - 2
      Anvil.Options o =
          Anvil.Options.defaults(31337 + c)
              .withPort(port.applyAsInt(c))
              .withBlockTime(Duration.ofMillis(500))
              .withSlotsInAnEpoch(1);
      chains.add(LocalChain.start(toolchain, o, c + 1, 0, committee));
      receivers.add(chains.get(c).deployReceiver());
      say.say(
          "chain %s (id %d): %s, VigilCore %s, MessageReceiver %s",
          NAMES[c],
          c + 1,
          chains.get(c).rpcUrl(),
          chains.get(c).coreAddress(),
          receivers.get(c).address());
    }
    for (int c = 0; c < 2; c++) {
      // one client per sending account: it owns the account's nonce sequence
      senders.add(chains.get(c).client(1));
      emitters[c] = Bytes32.leftPad(Address.fromHex(senders.get(c).address()));
    }
    receivers.get(1).registerEmitter(Devnet.CHAIN_A, emitters[0]);
    receivers.get(0).registerEmitter(Devnet.CHAIN_B, emitters[1]);
  }

  LocalChain chain(int c) {
    return chains.get(c);
  }

  int size() {
    return chains.size();
  }

  MessageReceiverContract receiver(int c) {
    return receivers.get(c);
  }

  EvmClient sender(int c) {
    return senders.get(c);
  }

  Bytes32 emitter(int c) {
    return emitters[c];
  }

  /** Traffic from each chain's sender goes to the other chain's receiver. */
  List<RelayerSettings.Route> routes() {
    return List.of(
        new RelayerSettings.Route(Devnet.CHAIN_A, emitters[0], destination(1)),
        new RelayerSettings.Route(Devnet.CHAIN_B, emitters[1], destination(0)));
  }

  private RelayerSettings.Destination destination(int c) {
    return new RelayerSettings.Destination(
        NAMES[c],
        URI.create(chains.get(c).rpcUrl()),
        chains.get(c).anvil().evmChainId(),
        receivers.get(c).address());
  }

  @Override
  public void close() {
    for (LocalChain c : chains) c.close();
  }
}
