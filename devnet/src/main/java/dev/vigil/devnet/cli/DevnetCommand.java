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

  @Option(
      names = "--netns",
      description =
          "Each guardian on a host of its own: a Linux network namespace with its own address on a bridge (198.18.R.0/24; needs root).")
  boolean netns;

  @Option(
      names = "--wan",
      description =
          "Wide-area links between the guardians: 50 to 150 ms one way per pair and 1%% loss, unless --wan-delay or --wan-loss say otherwise.")
  boolean wan;

  @Option(
      names = "--wan-delay",
      paramLabel = "MIN-MAX",
      description = "One-way delay range between guardians with --wan, e.g. 50ms-150ms.")
  String wanDelay;

  @Option(
      names = "--wan-loss",
      paramLabel = "PERCENT",
      description = "Segment loss imitated on every link with --wan, e.g. 1%% (default) or 0.")
  String wanLoss;

  @Option(
      names = "--rotate",
      description =
          "Rotate the committee during the run, as its operators would (vigil governance inject): grow by one guardian,"
              + " replace one, shrink back; messages keep flowing.")
  boolean rotate;

  @Override
  public Integer call() throws InterruptedException {
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
    if (netns) o = o.withNetns(true);
    if (wan || wanDelay != null || wanLoss != null) o = o.withWan(wideArea(wanDelay, wanLoss));
    if (rotate) o = o.withRotate(true);
    Duration d = duration == null ? null : parse(duration);
    if (d != null) o = o.withDuration(d);
    Devnet devnet = Devnet.start(o);
    Thread hook = new Thread(devnet::close, "devnet-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    devnet.printUrls();
    Duration every = Duration.ofSeconds(2);
    Thread rotations = rotate ? devnet.startRotations(Duration.ofSeconds(15)) : null;
    if (d == null) {
      devnet.runTraffic(Long.MAX_VALUE, null, every);
      return 0;
    }
    devnet.runTraffic((long) Math.ceil(o.rate() * d.toSeconds()), d, every);
    if (rotations != null) rotations.join(); // the last rotation completes before the verdict
    boolean all = devnet.awaitDelivered(Duration.ofSeconds(90), every);
    System.out.printf(
        "%s: %d of %d messages delivered exactly once%n",
        all ? "OK" : "INCOMPLETE", devnet.delivered(), devnet.published());
    System.out.printf("quorum latency: %s%n", devnet.quorumLatencies());
    if (o.wan() != null)
      System.out.printf(
          "wide-area links (%s): %d chunks were held for an imitated retransmission%n",
          o.wan(), devnet.wideAreaStalls());
    devnet.close();
    Runtime.getRuntime().removeShutdownHook(hook);
    return all ? 0 : 1;
  }

  /** --wan-delay MIN-MAX and --wan-loss PERCENT over the defaults. */
  static DevnetOptions.WideArea wideArea(String delay, String loss) {
    var d = DevnetOptions.WideArea.DEFAULT;
    Duration min = d.minDelay(), max = d.maxDelay();
    if (delay != null) {
      String[] parts = delay.split("-", -1);
      if (parts.length != 2)
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(new DevnetCommand()),
            "--wan-delay: expected MIN-MAX such as 50ms-150ms, got '" + delay + "'");
      min = parse(parts[0]);
      max = parse(parts[1]);
    }
    double l = d.loss();
    if (loss != null) {
      String t = loss.strip();
      try {
        l = Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1) : t) / 100;
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(new DevnetCommand()),
            "--wan-loss: expected a percentage such as 1% or 0.5, got '" + loss + "'");
      }
    }
    try {
      return new DevnetOptions.WideArea(min, max, l, d.seed());
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(new DevnetCommand()), e.getMessage());
    }
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
