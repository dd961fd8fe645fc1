package dev.vigil.node.cli;

import dev.vigil.node.config.ChainSettings;
import dev.vigil.node.config.LoadOptions;
import dev.vigil.node.config.NodeSettings;
import dev.vigil.node.observer.Finality;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Loads a node file, checks it as `vigil run` would (keys, types, addresses, committee, key file, password source),",
      "and prints the settings it amounts to. Starts nothing."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the configuration is usable",
      "2:it is not (every problem is listed with its key)"
    })
final class ConfigCommand implements Callable<Integer> {
  @ParentCommand Vigil vigil;
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node file.")
  Path config;

  @Option(
      names = "--no-file-checks",
      description =
          "Check the file alone: not the key file, password source or data directory (e.g. on another machine).")
  boolean noFileChecks;

  @Override
  public Integer call() {
    NodeSettings s =
        NodeSettings.load(config, new LoadOptions(!noFileChecks, vigil.context().env()));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (String w : s.warnings()) err.println("warning: " + w);
    out.printf("%-12s %s%n", "file", s.file());
    out.printf("%-12s %s%n", "name", s.name());
    out.printf("%-12s %s%n", "data dir", s.dataDir());
    out.printf("%-12s %s (password: %s)%n", "key file", s.key().file(), s.key().password());
    out.printf(
        "%-12s %d: %d members, quorum %d, expiry window %s%n",
        "committee",
        s.committee().index(),
        s.committee().members().size(),
        s.committee().quorum(),
        human(s.committee().expiryWindow()));
    for (int i = 0; i < s.committee().members().size(); i++) {
      out.printf("%-12s   %d  %s%n", "", i, s.committee().members().get(i));
    }
    out.printf(
        "%-12s chain %d, emitter 0x%s%n",
        "governance", s.governance().chain(), s.governance().emitter().toHex());
    for (ChainSettings c : s.chains()) {
      String finality =
          switch (c.finality()) {
            case Finality.Tags t -> "tags";
            case Finality.Confirmations n -> n.depth() + " confirmations";
          };
      out.printf(
          "%-12s %d %s: core %s, finality %s, from block %d, poll %s, max %d blocks per getLogs, payloads up to %d bytes, %d RPC endpoint(s)%s%n",
          "chain",
          c.id(),
          c.name(),
          c.coreAddress(),
          finality,
          c.startBlock(),
          human(c.pollInterval()),
          c.maxBlockRange(),
          c.maxPayloadBytes(),
          c.rpcUrls().size(),
          c.rpcAgreement() >= 2 ? ", " + c.rpcAgreement() + " must agree" : "");
    }
    out.printf(
        "%-12s pekko://%s@%s:%d%s, seeds %s%n",
        "cluster",
        s.cluster().systemName(),
        s.cluster().host(),
        s.cluster().port(),
        s.cluster().bindHost().map(b -> " (listening on " + b + ")").orElse(""),
        s.cluster().seedNodes());
    out.printf("%-12s http://%s:%d%n", "http", s.http().host(), s.http().port());
    out.println(
        noFileChecks ? "usable as a file (key file, password and data dir not checked)" : "usable");
    return 0;
  }

  /** 24h, 6s, 500ms rather than PT24H. */
  static String human(java.time.Duration d) {
    if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
    long s = d.toSeconds();
    if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
    if (s != 0 && s % 60 == 0) return s / 60 + "m";
    return s + "s";
  }
}
