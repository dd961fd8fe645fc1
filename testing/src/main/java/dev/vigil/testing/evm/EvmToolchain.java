package dev.vigil.testing.evm;

import dev.vigil.evm.ContractArtifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EVM toolchain that ships with the project: anvil, forge and cast from the npm registry under
 * {@code contracts/node_modules}, and the compiled contracts under {@code contracts/out}. It
 * installs and builds them itself the first time they are needed, so a fresh clone needs no manual
 * step.
 */
public final class EvmToolchain {
  private static final Logger log = LoggerFactory.getLogger(EvmToolchain.class);
  private static final Object LOCK = new Object();

  private final Path contractsDir;

  private EvmToolchain(Path contractsDir) {
    this.contractsDir = contractsDir;
  }

  /**
   * Finds {@code contracts/} from the {@code vigil.home} system property (set by ./vigil), or by
   * walking up from the working directory; installs the toolchain and builds the contracts if
   * needed.
   */
  public static EvmToolchain locate() {
    Path dir = findContractsDir();
    EvmToolchain t = new EvmToolchain(dir);
    t.ensureReady();
    return t;
  }

  public Path contractsDir() {
    return contractsDir;
  }

  public Path anvil() {
    return contractsDir.resolve("node_modules/.bin/anvil");
  }

  public Path forge() {
    return contractsDir.resolve("node_modules/.bin/forge");
  }

  /** The forge build output of one contract, e.g. {@code artifact("VigilCore")}. */
  public ContractArtifact artifact(String contract) {
    return ContractArtifact.load(
        contractsDir.resolve("out/" + contract + ".sol/" + contract + ".json"));
  }

  private void ensureReady() {
    synchronized (LOCK) {
      run(
          List.of("bash", contractsDir.resolve("tools/ensure-toolchain.sh").toString()),
          "installing the EVM toolchain");
      if (!Files.exists(contractsDir.resolve("out/VigilCore.sol/VigilCore.json"))
          || !Files.exists(contractsDir.resolve("out/MessageReceiver.sol/MessageReceiver.json"))
          || !Files.exists(contractsDir.resolve("out/VigilStaking.sol/VigilStaking.json"))) {
        run(
            List.of(
                forge().toString(),
                "build",
                "--use",
                contractsDir.resolve("tools/solc").toString()),
            "building the contracts");
      }
    }
  }

  private void run(List<String> command, String what) {
    log.debug("{}: {}", what, command);
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(contractsDir.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(what + " did not finish in 15 minutes: " + command);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            what + " failed (exit " + p.exitValue() + "): " + command + "\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          what + " could not start " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " was interrupted", e);
    }
  }

  private static Path findContractsDir() {
    String home = System.getProperty("vigil.home");
    if (home != null && Files.exists(Path.of(home, "contracts/package.json"))) {
      return Path.of(home, "contracts").toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("contracts/package.json")))
        return p.resolve("contracts").normalize();
      if (Files.exists(p.resolve("package.json")) && Files.exists(p.resolve("foundry.toml")))
        return p;
    }
    throw new IllegalStateException(
        "cannot find Vigil's contracts/ folder (with package.json) from "
            + Path.of("").toAbsolutePath()
            + "; run from the repository or set -Dvigil.home=<repository>");
  }
}
