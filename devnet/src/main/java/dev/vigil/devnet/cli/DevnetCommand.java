package dev.vigil.devnet.cli;

import dev.vigil.devnet.Devnet;
import dev.vigil.devnet.DevnetOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a whole local network: two anvil chains (alpha, beta) with VigilCore and a MessageReceiver on each, a committee",
      "of guardian processes (one JVM each, one Pekko cluster), a relayer, and messages sent both ways. Prints progress",
      "(published, attested, delivered, latency) and the HTTP URLs. Ctrl-C stops everything it started."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every published message was delivered (with --duration) or stopped by Ctrl-C",
      "1:messages were left undelivered, or the devnet failed to start"
    })
final class DevnetCommand implements Callable<Integer> {
  @Option(
      names = "--nodes",
      defaultValue = "4",
      description = "Guardians in the committee (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--rate",
      defaultValue = "2",
      description = "Messages per second, both directions together (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      description =
          "How long to send traffic, e.g. 60s or 5m; then wait for delivery and exit. Default: until Ctrl-C.")
  String duration;

  @Option(
      names = "--work-dir",
      description =
          "Keys, node files, data and logs (wiped at start). Default: .devnet/run in the repository.")
  Path workDir;

  @Option(
      names = "--no-tls",
      description =
          "Plain TCP between the guardians instead of mutual TLS (each guardian's certificate is bound to its dev key).")
  boolean noTls;

  @Option(
      names = "--free-ports",
      description = "Pick free ports instead of 8545/8546 (chains), 7101+ (cluster), 7201+ (HTTP).")
  boolean freePorts;

  @Override
  public Integer call() {
    Path dir =
        workDir != null
            ? workDir
            : Path.of(System.getProperty("vigil.home", "."), ".devnet", "run");
    DevnetOptions o =
        DevnetOptions.defaults(dir.toAbsolutePath().normalize(), System.out)
            .withNodes(nodes)
            .withRate(rate);
    if (freePorts) o = o.withFreePorts();
    if (noTls) o = o.withTls(false);
    Duration d = duration == null ? null : parse(duration);
    if (d != null) o = o.withDuration(d);
    Devnet devnet = Devnet.start(o);
    Thread hook = new Thread(devnet::close, "devnet-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    devnet.printUrls();
    Duration every = Duration.ofSeconds(2);
    if (d == null) {
      devnet.runTraffic(Long.MAX_VALUE, null, every);
      return 0;
    }
    devnet.runTraffic((long) Math.ceil(o.rate() * d.toSeconds()), d, every);
    boolean all = devnet.awaitDelivered(Duration.ofSeconds(90), every);
    System.out.printf(
        "%s: %d of %d messages delivered exactly once%n",
        all ? "OK" : "INCOMPLETE", devnet.delivered(), devnet.published());
    devnet.close();
    Runtime.getRuntime().removeShutdownHook(hook);
    return all ? 0 : 1;
  }

  static Duration parse(String s) {
    String t = s.strip().toLowerCase();
    try {
      if (t.endsWith("ms"))
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      if (t.endsWith("s"))
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      if (t.endsWith("m"))
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(new DevnetCommand()),
          "--duration: expected a number with s, m or h (e.g. 60s, 10m), got '" + s + "'");
    }
  }
}
