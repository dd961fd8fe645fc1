package dev.vigil.node.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.evm.LogMessagePublished;
import dev.vigil.evm.MalformedRpcDataException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * An endpoint that answers with logs the node did not ask for: a block outside the range of its
 * eth_getLogs, or another transaction than the receipt asked for. Such logs are refused as garbage
 * (and never reach the signer), naming the call.
 */
class ChainReaderForgeryTest {
  static final String CORE = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
  static final String TX = "0x" + "ab".repeat(32);
  static final String BLOCK_HASH = "0x" + "cd".repeat(32);
  HttpServer server;
  volatile long logBlock;
  volatile String logTx = TX;

  @BeforeEach
  void endpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext(
        "/",
        ex -> {
          String req = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String id = req.replaceAll("(?s).*\"id\"\\s*:\\s*(\\d+).*", "$1");
          String result;
          if (req.contains("eth_getLogs")) result = "[" + log() + "]";
          else if (req.contains("eth_getTransactionReceipt"))
            result =
                "{\"transactionHash\":\""
                    + TX
                    + "\",\"blockHash\":\""
                    + BLOCK_HASH
                    + "\",\"blockNumber\":\"0x"
                    + Long.toHexString(logBlock)
                    + "\",\"status\":\"0x1\",\"logs\":["
                    + log()
                    + "]}";
          else if (req.contains("eth_getBlockByHash"))
            result =
                "{\"number\":\"0x"
                    + Long.toHexString(logBlock)
                    + "\",\"hash\":\""
                    + BLOCK_HASH
                    + "\",\"parentHash\":\"0x"
                    + "00".repeat(32)
                    + "\",\"timestamp\":\"0x64\",\"transactions\":[]}";
          else result = "null";
          byte[] body =
              ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String log() {
    String data =
        FunctionEncoder.encodeConstructor(
            List.of(
                new Uint64(BigInteger.valueOf(7)),
                new Uint32(BigInteger.ONE),
                new DynamicBytes("hello".getBytes(StandardCharsets.UTF_8)),
                new Uint8(BigInteger.ONE)));
    return "{\"address\":\""
        + CORE
        + "\",\"topics\":[\""
        + LogMessagePublished.TOPIC
        + "\",\"0x"
        + "00".repeat(12)
        + "11".repeat(20)
        + "\"],\"data\":\"0x"
        + data
        + "\",\"blockNumber\":\"0x"
        + Long.toHexString(logBlock)
        + "\",\"blockHash\":\""
        + BLOCK_HASH
        + "\",\"transactionHash\":\""
        + logTx
        + "\",\"logIndex\":\"0x0\",\"transactionIndex\":\"0x0\",\"removed\":false}";
  }

  ChainReader reader() {
    return new ChainReader(
        1, "http://127.0.0.1:" + server.getAddress().getPort(), CORE, Duration.ofSeconds(5));
  }

  @Test
  void aLogInsideTheRangeIsAMessage() {
    logBlock = 5;
    try (ChainReader r = reader()) {
      assertThat(r.messages(1, 10))
          .singleElement()
          .satisfies(m -> assertThat(m.sequence()).isEqualTo(7));
    }
  }

  @Test
  void aLogOutsideTheRangeAskedForIsRefusedNamingTheCall() {
    logBlock = 100;
    try (ChainReader r = reader()) {
      assertThatThrownBy(() -> r.messages(1, 10))
          .isInstanceOf(MalformedRpcDataException.class)
          .hasMessageContaining("eth_getLogs(1..10)")
          .hasMessageContaining("block 100, outside the blocks asked for");
    }
  }

  @Test
  void aReceiptAskedForWithoutTheHexPrefixIsTheSameTransaction() {
    logBlock = 5;
    try (ChainReader r = reader()) {
      assertThat(r.messagesInTransaction(TX.substring(2).toUpperCase())).hasSize(1);
    }
  }

  @Test
  void aReceiptWithAnotherTransactionsLogIsRefused() {
    logBlock = 5;
    logTx = "0x" + "ef".repeat(32);
    try (ChainReader r = reader()) {
      assertThatThrownBy(() -> r.messagesInTransaction(TX))
          .isInstanceOf(MalformedRpcDataException.class)
          .hasMessageContaining("a log of another transaction " + logTx);
    }
  }
}
