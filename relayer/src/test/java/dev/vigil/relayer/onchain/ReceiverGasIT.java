package dev.vigil.relayer.onchain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.evm.VigilCoreContract;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;

/**
 * Prints the transaction gas (gasUsed, base cost and calldata included) of MessageReceiver's two
 * receive paths on anvil for 3-of-4 and 13-of-19 attestations with a 100-byte payload: the figures
 * a relayer pays, next to the execution-only figures of contracts/test/Gas.t.sol. Gas is printed,
 * not asserted; the test asserts only that each message was executed. Output:
 * node/target/failsafe-reports/dev.vigil.relayer.onchain.ReceiverGasIT-output.txt
 */
class ReceiverGasIT {
  static final int EMITTER_CHAIN = 5;
  static final Bytes32 EMITTER = Bytes32.wrap(filled(0x11));

  static LocalChain chain;

  @BeforeAll
  static void start() {
    chain =
        LocalChain.start(
            EvmToolchain.locate(),
            Anvil.Options.defaults(31337),
            2,
            0,
            List.of(
                dev.vigil.signing.Address.fromHex("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")));
  }

  @AfterAll
  static void stop() {
    if (chain != null) chain.close();
  }

  static byte[] filled(int b) {
    byte[] x = new byte[32];
    Arrays.fill(x, (byte) b);
    return x;
  }

  @Test
  void printReceiveGas() {
    StringBuilder table =
        new StringBuilder(
            String.format(
                "%n%-10s %-28s %8s %10s %10s %10s%n",
                "committee", "path", "message", "gasUsed", "calldata", "execution"));
    for (int size : new int[] {4, 19}) {
      TestCommittee tc =
          TestCommittee.create(new Random(size), 0, size, Secp256k1Backends.preferred());
      VigilCoreContract core =
          VigilCoreContract.deploy(
              chain.client(0),
              chain.toolchain().artifact("VigilCore"),
              tc.committee(),
              LocalChain.GOVERNANCE_CHAIN,
              Bytes32.wrap(LocalChain.governanceEmitter()),
              Duration.ofDays(1),
              2);
      String label = tc.committee().quorum() + " of " + size;
      long sequence = 0;
      for (String path : List.of("receiveMessage", "receiveMessageWithCommittee")) {
        // a receiver per path: message 1 stores receivedCount from zero (cold 0 -> 1), message 2 is
        // the steady state
        MessageReceiverContract owned =
            MessageReceiverContract.deploy(
                chain.client(0), chain.toolchain().artifact("MessageReceiver"), core.address());
        owned.registerEmitter(EMITTER_CHAIN, EMITTER);
        MessageReceiverContract relayer = owned.withClient(chain.client(1));
        for (int message = 1; message <= 2; message++) {
          Body body = body(sequence++);
          byte[] att = tc.attestQuorum(body).encode();
          MessageReceiverContract.Received r =
              path.equals("receiveMessage")
                  ? relayer.receiveMessage(att)
                  : relayer.receiveMessageWithCommittee(att, tc.committee().members());
          assertThat(relayer.payloadOf(body.digest())).isEqualTo(body.payload());
          long calldata =
              calldataGas(
                  path.equals("receiveMessage")
                      ? FunctionEncoder.encode(
                          new Function(path, List.of(new DynamicBytes(att)), List.of()))
                      : FunctionEncoder.encode(
                          new Function(
                              path,
                              List.of(
                                  new DynamicBytes(att),
                                  VigilCoreContract.addresses(tc.committee().members())),
                              List.of())));
          table.append(
              String.format(
                  "%-10s %-28s %8d %,10d %,10d %,10d%n",
                  label, path, message, r.gasUsed(), calldata, r.gasUsed() - 21_000 - calldata));
        }
      }
    }
    table.append(
        "gasUsed = 21,000 base + calldata (4 per zero byte, 16 per other byte) + execution;"
            + " payload 100 bytes; execution stores isExecuted, the payload (4 words + length) and receivedCount\n");
    System.out.print(table);
  }

  static Body body(long sequence) {
    byte[] payload = new byte[100];
    new Random(sequence).nextBytes(payload);
    return new Body(1_700_000_000L, 1, EMITTER_CHAIN, EMITTER, sequence, 1, payload);
  }

  static long calldataGas(String hex) {
    byte[] data = org.web3j.utils.Numeric.hexStringToByteArray(hex);
    long gas = 0;
    for (byte x : data) gas += x == 0 ? 4 : 16;
    return gas;
  }
}
