package dev.vigil.devnet.chaos;

import dev.vigil.signing.MessageId;
import dev.vigil.testing.net.LinkProxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Network partitions through the link proxies (every guardian-to-guardian link runs through one):
 * up to f guardians cut off from a majority that must stay live, and a split that leaves no side a
 * quorum, so nothing new may be attested until the heal. After every heal every guardian must see
 * every peer again.
 */
final class PartitionInjector {
  private final Scene scene;

  PartitionInjector(Scene scene) {
    this.scene = scene;
  }

  /**
   * Up to f guardians cut off from the rest; the rest keep a quorum, so the committee must stay
   * live.
   */
  void isolate(FaultPlan.Phase phase, FaultPlan.Isolate isolate) {
    List<Integer> cut = isolate.cut();
    List<Integer> rest = isolate.rest();
    // judged only when nothing else is down: a guardian still rejoining after a restart would make
    // it f+1
    boolean whole = scene.probe().awaitConnected(Duration.ofSeconds(20));
    cutLinks(cut, isolate.mode());
    long cutAt = System.nanoTime();
    scene
        .log()
        .fault(
            FaultKind.PARTITION,
            "partition %s | %s (%s) for %.1fs: %s cut off, the other %d keep a quorum%s",
            cut,
            rest,
            isolate.mode(),
            phase.lengthMs() / 1000.0,
            cut.size() == 1 ? "one guardian" : cut.size() + " guardians",
            rest.size(),
            isolate.restart() ? "; the cut-off side is SIGKILLed and restarted while cut off" : "");
    if (isolate.restart()) {
      cut.forEach(scene::kill);
      for (int g : cut) scene.devnet().guardian(g).start();
      scene.log().say("restarted guardians %s while cut off", cut);
    }
    Chaos.sleep(phase.lengthMs());
    PhaseWindow.Messages during =
        whole
            ? PhaseWindow.await(
                scene.devnet(),
                scene.log(),
                "partition " + cut + " | " + rest,
                cutAt + PhaseWindow.GRACE_NANOS,
                Findings.CUT_OFF_MARGIN_MS * 1_000_000,
                Duration.ofMillis(Math.max(30_000, phase.lengthMs())))
            : new PhaseWindow.Messages(List.of(), 0);
    scene.log().say("before the heal: peers seen %s", Arrays.toString(scene.probe().peersSeen()));
    // the cut stays in force until the majority attested what was published during it (bounded): on
    // a slow machine attesting takes longer, and it must still happen without the cut-off side
    long judgeFrom = System.nanoTime();
    List<MessageId> attested =
        whole ? awaitAttested(during.ids(), rest) : scene.probe().attestedBy(during.ids(), rest);
    if (whole && System.nanoTime() - judgeFrom > 2_000_000_000L)
      scene
          .log()
          .say(
              "kept the cut %.1fs longer for the majority to attest what was published during it",
              (System.nanoTime() - judgeFrom) / 1e9);
    Findings findings = scene.findings();
    synchronized (findings) {
      findings.isolations++;
      if (whole) {
        findings.isolatedJudged++;
        findings.publishedCutOff += during.ids().size();
        findings.attestedCutOff += attested.size();
        if (!during.exercised())
          findings.isolationsNotExercised.add(
              cut + " cut off (" + during.ids().size() + " messages)");
        if (findings.firstMissed.isEmpty() && attested.size() < during.ids().size()) {
          findings.firstMissed =
              " (first missed: "
                  + during.ids().stream()
                      .filter(m -> !attested.contains(m))
                      .findFirst()
                      .orElseThrow()
                  + ")";
        }
      }
    }
    scene
        .log()
        .say(
            "while %s was cut off: %d of %d messages attested by the others%s%s",
            cut,
            attested.size(),
            during.ids().size(),
            whole ? "" : " (not judged: the committee was not whole when the cut began)",
            during.lengthened());
    heal(cut + " | " + rest);
  }

  /**
   * Those of {@code ids} that one of {@code guardians} attested, waiting up to {@link
   * Findings#CUT_OFF_ATTEST_BOUND_MS} for all of them.
   */
  private List<MessageId> awaitAttested(List<MessageId> ids, List<Integer> guardians) {
    long deadline = System.nanoTime() + Findings.CUT_OFF_ATTEST_BOUND_MS * 1_000_000;
    while (true) {
      List<MessageId> attested = scene.probe().attestedBy(ids, guardians);
      if (attested.size() == ids.size() || System.nanoTime() > deadline) return attested;
      Chaos.sleep(1_000);
    }
  }

  /**
   * Two sides of about half the committee each: neither has a quorum, so nothing new may be
   * attested until the heal.
   */
  void split(FaultPlan.Phase phase, FaultPlan.Split split) {
    List<Integer> a = split.sideA();
    List<Integer> b = split.sideB();
    scene.probe().awaitConnected(Duration.ofSeconds(20));
    cutLinks(a, split.mode());
    long cutAt = System.nanoTime();
    int quorum = scene.nodes() * 2 / 3 + 1;
    scene
        .log()
        .fault(
            FaultKind.PARTITION,
            "partition %s | %s (%s) for %.1fs: split, no side has a quorum of %d",
            a,
            b,
            split.mode(),
            phase.lengthMs() / 1000.0,
            quorum);
    Chaos.sleep(phase.lengthMs());
    PhaseWindow.Messages during =
        PhaseWindow.await(
            scene.devnet(),
            scene.log(),
            "split",
            cutAt + PhaseWindow.GRACE_NANOS,
            0,
            Duration.ofMillis(Math.max(30_000, phase.lengthMs())));
    scene.log().say("before the heal: peers seen %s", Arrays.toString(scene.probe().peersSeen()));
    List<MessageId> attested =
        scene.probe().attestedBy(during.ids(), IntStream.range(0, scene.nodes()).boxed().toList());
    scene.findings().split =
        Findings.stall(
            "stall (split)", during, attested.size(), "during the split " + a + " | " + b);
    scene.log().say("split: %s", scene.findings().split.detail());
    heal(a + " | " + b);
  }

  /**
   * Sets every link between {@code side} and the other guardians, both directions, to {@code mode}.
   */
  private void cutLinks(List<Integer> side, LinkProxy.Mode mode) {
    for (int x = 0; x < scene.nodes(); x++) {
      for (int y = 0; y < scene.nodes(); y++) {
        if (x != y && side.contains(x) != side.contains(y)) scene.devnet().link(x, y).mode(mode);
      }
    }
  }

  /**
   * Every link passes again; then waits (bounded) until every guardian sees every peer, and records
   * how long that took.
   */
  private void heal(String shape) {
    for (int x = 0; x < scene.nodes(); x++) {
      for (int y = 0; y < scene.nodes(); y++) {
        if (x != y) scene.devnet().link(x, y).mode(LinkProxy.Mode.PASS);
      }
    }
    long healedAt = System.nanoTime();
    scene.log().faultEnded();
    scene.log().say("healed partition %s", shape);
    boolean rejoined = scene.probe().awaitConnected(Duration.ofMillis(Findings.REJOIN_BOUND_MS));
    Findings findings = scene.findings();
    synchronized (findings) {
      if (rejoined) findings.rejoinSecs.add((System.nanoTime() - healedAt) / 1e9);
      else findings.notRejoined++;
    }
    if (rejoined) {
      scene
          .log()
          .say(
              "after the heal of %s every guardian sees every peer again (%.1fs)",
              shape, (System.nanoTime() - healedAt) / 1e9);
    } else {
      scene
          .log()
          .say(
              "after the heal of %s not every guardian sees every peer within %ds: %s",
              shape, Findings.REJOIN_BOUND_MS / 1000, Arrays.toString(scene.probe().peersSeen()));
    }
  }
}
