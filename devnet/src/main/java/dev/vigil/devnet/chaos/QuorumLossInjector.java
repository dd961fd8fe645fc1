package dev.vigil.devnet.chaos;

import dev.vigil.signing.MessageId;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * f+1 guardians SIGKILLed: no quorum, so nothing new may be attested; all restarted when the phase
 * ends.
 */
final class QuorumLossInjector {
  private final Scene scene;

  QuorumLossInjector(Scene scene) {
    this.scene = scene;
  }

  void inject(FaultPlan.Phase phase, FaultPlan.QuorumLoss loss) {
    List<Integer> victims = loss.victims();
    victims.forEach(scene::kill);
    long downAt = System.nanoTime();
    scene
        .log()
        .fault(
            FaultKind.QUORUM_LOSS,
            "SIGKILL f+1 = %d guardians %s for %.1fs (no quorum)",
            victims.size(),
            victims,
            phase.lengthMs() / 1000.0);
    Chaos.sleep(phase.lengthMs());
    // messages published well after the kill cannot have a quorum; a signature in flight at the
    // kill may still complete one for messages published just before it
    PhaseWindow.Messages during =
        PhaseWindow.await(
            scene.devnet(),
            scene.log(),
            "quorum loss",
            downAt + PhaseWindow.GRACE_NANOS,
            0,
            Duration.ofMillis(Math.max(30_000, phase.lengthMs())));
    List<Integer> up =
        IntStream.range(0, scene.nodes()).filter(g -> !victims.contains(g)).boxed().toList();
    List<MessageId> attested = scene.probe().attestedBy(during.ids(), up);
    scene.findings().quorumLoss =
        Findings.stall(
            "stall (f+1 down)",
            during,
            attested.size(),
            "while " + victims.size() + " guardians were down");
    scene.log().say("quorum loss: %s", scene.findings().quorumLoss.detail());
    for (int g : victims) scene.devnet().guardian(g).start();
    scene.log().faultEnded();
    scene.log().say("restarted guardians %s", victims);
  }
}
