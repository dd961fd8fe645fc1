package dev.vigil.node.observer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.evm.LogMessagePublished;
import dev.vigil.evm.MalformedRpcDataException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Fuzzes the source-event decoder on web3j Logs built from fuzzed topics and data (as a hostile or
 * broken RPC endpoint could send them): the only exception it may throw is
 * MalformedRpcDataException.
 */
class LogMessagePublishedFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void decode(FuzzedDataProvider data) {
    List<String> topics = new ArrayList<>();
    int n = data.consumeInt(0, 3);
    for (int i = 0; i < n; i++) {
      topics.add(
          switch (data.consumeInt(0, 3)) {
            case 0 ->
                LogMessagePublished.TOPIC; // the real event signature, so decoding goes deeper
            case 1 -> "0x" + HexFormat.of().formatHex(data.consumeBytes(32));
            case 2 -> null;
            default -> data.consumeString(70);
          });
    }
    String hexData =
        data.consumeBoolean()
            ? "0x" + HexFormat.of().formatHex(data.consumeRemainingAsBytes())
            : data.consumeRemainingAsString();
    Log log = new Log();
    log.setTopics(topics);
    log.setData(hexData);
    log.setTransactionHash("0x01");
    log.setLogIndex("0x0");
    try {
      LogMessagePublished.Decoded d = LogMessagePublished.decode(log);
      assertThat(d.sender32()).hasSize(32);
      assertThat(d.payload()).isNotNull();
      assertThat(d.consistencyLevel()).isBetween(0, 255);
    } catch (MalformedRpcDataException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
