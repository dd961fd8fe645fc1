package dev.vigil.testing.evm;

import dev.vigil.evm.EvmClient;
import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.evm.VigilCoreContract;
import dev.vigil.signing.Address;
import java.util.List;

/**
 * A local chain ready for Vigil: anvil plus VigilCore deployed with a committee. Used by the
 * devnet, the chaos tool and the tests. Closing it stops anvil.
 */
public final class LocalChain implements AutoCloseable {
  private final Anvil anvil;
  private final int vigilChainId;
  private final String core;
  private final EvmClient deployer;
  private final EvmToolchain toolchain;

  private LocalChain(
      Anvil anvil, int vigilChainId, String core, EvmClient deployer, EvmToolchain toolchain) {
    this.anvil = anvil;
    this.vigilChainId = vigilChainId;
    this.core = core;
    this.deployer = deployer;
    this.toolchain = toolchain;
  }

  /** Governance emitter used on local chains: chain 1, address 0x…04 (as Wormhole's). */
  public static final int GOVERNANCE_CHAIN = 1;

  public static byte[] governanceEmitter() {
    byte[] e = new byte[32];
    e[31] = 4;
    return e;
  }

  public static LocalChain start(
      EvmToolchain toolchain,
      Anvil.Options options,
      int vigilChainId,
      long committeeIndex,
      List<Address> committee) {
    Anvil anvil = Anvil.start(toolchain, options);
    try {
      EvmClient deployer = new EvmClient(anvil.web3j(), anvil.devAccount(0), anvil.evmChainId());
      String core =
          deployer.deploy(
              toolchain.artifact("VigilCore"),
              EvmClient.vigilCoreArgs(
                  committeeIndex,
                  committee.stream().map(Address::toHex).toList(),
                  GOVERNANCE_CHAIN,
                  governanceEmitter(),
                  86_400,
                  vigilChainId));
      return new LocalChain(anvil, vigilChainId, core, deployer, toolchain);
    } catch (RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  public Anvil anvil() {
    return anvil;
  }

  public int vigilChainId() {
    return vigilChainId;
  }

  public String coreAddress() {
    return core;
  }

  public String rpcUrl() {
    return anvil.rpcUrl();
  }

  /** VigilCore on this chain, used from the deployer's account (dev account 0). */
  public VigilCoreContract core() {
    return VigilCoreContract.at(deployer, core);
  }

  /** Deploys a MessageReceiver bound to this chain's VigilCore, owned by dev account 0. */
  public MessageReceiverContract deployReceiver() {
    return MessageReceiverContract.deploy(deployer, toolchain.artifact("MessageReceiver"), core);
  }

  public EvmToolchain toolchain() {
    return toolchain;
  }

  /** A client that sends from anvil's dev account {@code i} (0 deploys; use 1 for traffic). */
  public EvmClient client(int account) {
    return account == 0
        ? deployer
        : new EvmClient(anvil.web3j(), anvil.devAccount(account), anvil.evmChainId());
  }

  @Override
  public void close() {
    anvil.close();
  }
}
