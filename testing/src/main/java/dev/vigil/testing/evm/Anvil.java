package dev.vigil.testing.evm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * A local anvil chain on a free loopback port: started, waited for, and stopped with its process.
 * anvil answers the {@code safe} and {@code finalized} tags at head − N and head − 2N with {@code
 * --slots-in-an-epoch N}.
 */
public final class Anvil implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Anvil.class);

  /** anvil's well-known first dev account (test mnemonic); never use it outside a local chain. */
  public static final String DEV_KEY_0 =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  public static final String DEV_KEY_1 =
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  public static final String DEV_KEY_2 =
      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

  private final Process process;
  private final int port;
  private final long evmChainId;
  private final Web3j web3j;

  private Anvil(Process process, int port, long evmChainId) {
    this.process = process;
    this.port = port;
    this.evmChainId = evmChainId;
    this.web3j = Web3j.build(new HttpService(rpcUrl()));
  }

  /** Options for a chain. */
  public record Options(long evmChainId, int slotsInAnEpoch, Duration blockTime, int port) {
    public static Options defaults(long evmChainId) {
      return new Options(evmChainId, 2, null, 0);
    }

    public Options withBlockTime(Duration d) {
      return new Options(evmChainId, slotsInAnEpoch, d, port);
    }

    public Options withSlotsInAnEpoch(int n) {
      return new Options(evmChainId, n, blockTime, port);
    }

    public Options withPort(int p) {
      return new Options(evmChainId, slotsInAnEpoch, blockTime, p);
    }
  }

  public static Anvil start(EvmToolchain toolchain, Options options) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = options.port() != 0 ? options.port() : freePort();
      try {
        return tryStart(toolchain.anvil(), port, options);
      } catch (IllegalStateException e) {
        last = e; // most likely the port was taken between probing and binding
        if (options.port() != 0) break;
      }
    }
    throw last;
  }

  private static Anvil tryStart(Path binary, int port, Options o) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--chain-id",
                String.valueOf(o.evmChainId()),
                "--slots-in-an-epoch",
                String.valueOf(o.slotsInAnEpoch()),
                "--no-request-size-limit",
                // room for a 1 MiB payload in one transaction (about 40M gas), for the tests
                // of payload limits and batch sizes; mainnet blocks hold about 36M
                "--gas-limit",
                "200000000"));
    if (o.blockTime() != null) {
      cmd.add("--block-time");
      cmd.add(
          String.valueOf(
              Math.max(1, o.blockTime().toMillis()) / 1000.0)); // anvil takes fractional seconds
    }
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start anvil " + binary + ": " + e.getMessage(), e);
    }
    CompletableFuture<Boolean> listening = new CompletableFuture<>();
    StringBuilder early = new StringBuilder();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (!listening.isDone()) {
                    early.append(line).append('\n');
                    if (line.contains("Listening on")) listening.complete(true);
                  }
                  log.trace("anvil:{} {}", port, line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
              listening.complete(false);
            },
            "anvil-" + port);
    pump.setDaemon(true);
    pump.start();
    boolean ok;
    try {
      ok = listening.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      ok = false;
    }
    if (!ok) {
      p.destroyForcibly();
      throw new IllegalStateException("anvil did not start on 127.0.0.1:" + port + ":\n" + early);
    }
    log.info("anvil chain {} listening on http://127.0.0.1:{}", o.evmChainId(), port);
    return new Anvil(p, port, o.evmChainId());
  }

  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long evmChainId() {
    return evmChainId;
  }

  public Web3j web3j() {
    return web3j;
  }

  public Credentials devAccount(int i) {
    return Credentials.create(
        switch (i) {
          case 0 -> DEV_KEY_0;
          case 1 -> DEV_KEY_1;
          case 2 -> DEV_KEY_2;
          case 3 -> "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
          case 4 -> "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";
          case 5 -> "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";
          case 6 -> "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e";
          default ->
              throw new IllegalArgumentException("dev accounts 0..6 are known here, got " + i);
        });
  }

  public long pid() {
    return process.pid();
  }

  /** Mines {@code blocks} empty blocks at once. */
  public void mine(long blocks) {
    call("anvil_mine", List.of("0x" + BigInteger.valueOf(blocks).toString(16)));
  }

  /** Replaces the last {@code depth} blocks with empty ones (anvil_reorg). */
  public void reorg(int depth) {
    call("anvil_reorg", List.of(depth, List.of()));
  }

  /** Moves the chain's clock forward by {@code by} and mines a block with the new time. */
  public void increaseTime(Duration by) {
    call("evm_increaseTime", List.of(by.toSeconds()));
    mine(1);
  }

  /** The latest block's timestamp (unix seconds). */
  public long latestTimestamp() {
    try {
      return web3j
          .ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
          .send()
          .getBlock()
          .getTimestamp()
          .longValueExact();
    } catch (IOException e) {
      throw new IllegalStateException("eth_getBlockByNumber(latest) failed: " + e.getMessage(), e);
    }
  }

  private void call(String method, List<?> params) {
    try {
      Response<?> r =
          new Request<>(method, params, new HttpService(rpcUrl()), VoidResponse.class).send();
      if (r.hasError())
        throw new IllegalStateException(method + " failed: " + r.getError().getMessage());
    } catch (IOException e) {
      throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
    }
  }

  /** A JSON-RPC answer whose result we do not read. */
  public static final class VoidResponse extends Response<Object> {}

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
