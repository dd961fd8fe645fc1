package dev.vigil.devnet.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.devnet.chaos.FaultPlan.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seed gives one schedule, on any machine; every kind comes in the first round; phases never
 * overlap.
 */
class FaultPlanTest {
  private static final EnumSet<FaultKind> ROUND_KINDS =
      EnumSet.of(
          FaultKind.KILL, FaultKind.FREEZE, FaultKind.RPC, FaultKind.DISK, FaultKind.PARTITION);

  /**
   * nodes, duration, disk faults: the scenarios of ChaosIT, the README's examples, the shortest
   * allowed.
   */
  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(4, Duration.ofSeconds(170), true),
        Arguments.of(7, Duration.ofSeconds(170), true),
        Arguments.of(4, Duration.ofSeconds(170), false),
        Arguments.of(4, Duration.ofMinutes(2), true),
        Arguments.of(4, Duration.ofMinutes(10), true),
        Arguments.of(7, Duration.ofMinutes(10), false),
        Arguments.of(10, Duration.ofMinutes(30), true),
        Arguments.of(4, Duration.ofSeconds(30), true));
  }

  @ParameterizedTest(name = "{0} guardians, {1}, disks {2}")
  @MethodSource("scenarios")
  void theSameSeedGivesTheSameScheduleEveryTime(int nodes, Duration duration, boolean disks) {
    for (long seed = 0; seed < 50; seed++) {
      assertThat(FaultPlan.of(seed, nodes, duration, disks))
          .isEqualTo(FaultPlan.of(seed, nodes, duration, disks));
    }
  }

  @Test
  void differentSeedsGiveDifferentSchedules() {
    Set<FaultPlan.Fault> firstFaults = new HashSet<>();
    Set<List<Phase>> schedules = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      FaultPlan plan = FaultPlan.of(seed, 7, Duration.ofMinutes(10), true);
      schedules.add(plan.phases());
      firstFaults.add(plan.phases().getFirst().fault());
    }
    assertThat(schedules).hasSizeGreaterThan(45);
    assertThat(firstFaults).hasSizeGreaterThan(5);
  }

  @ParameterizedTest(name = "{0} guardians, {1}, disks {2}")
  @MethodSource("scenarios")
  void theFirstRoundInjectsEachKindOnceThePartitionFirstAndEveryKindInRunsOf170sOrMore(
      int nodes, Duration duration, boolean disks) {
    for (long seed = 0; seed < 50; seed++) {
      FaultPlan plan = FaultPlan.of(seed, nodes, duration, disks);
      EnumSet<FaultKind> expected = EnumSet.copyOf(ROUND_KINDS);
      if (!disks) expected.remove(FaultKind.DISK);
      List<Phase> rounds = plan.phases().subList(0, plan.phases().size() - 2);
      if (duration.toSeconds() < 60) {
        assertThat(rounds).as("no room for the rounds in %s", duration).isEmpty();
        continue;
      }
      List<FaultKind> first =
          rounds.subList(0, Math.min(rounds.size(), expected.size())).stream()
              .map(Phase::kind)
              .toList();
      assertThat(first).as("seed %d", seed).doesNotHaveDuplicates().startsWith(FaultKind.PARTITION);
      assertThat(rounds.getFirst().fault()).isInstanceOf(FaultPlan.Isolate.class);
      if (duration.toSeconds() >= 170)
        assertThat(first).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @ParameterizedTest(name = "{0} guardians, {1}, disks {2}")
  @MethodSource("scenarios")
  void phasesFollowEachOtherWithAGapAndEndWithTheSplitThenTheQuorumLossWithinTheRun(
      int nodes, Duration duration, boolean disks) {
    for (long seed = 0; seed < 50; seed++) {
      List<Phase> phases = FaultPlan.of(seed, nodes, duration, disks).phases();
      for (int i = 1; i < phases.size(); i++) {
        Phase before = phases.get(i - 1);
        Phase p = phases.get(i);
        assertThat(p.gapBeforeMs())
            .as("seed %d, phase %d", seed, i)
            .isGreaterThanOrEqualTo(FaultPlan.MIN_GAP_MS);
        assertThat(p.atMs())
            .as("seed %d, phase %d starts after the previous one ended and its gap", seed, i)
            .isGreaterThanOrEqualTo(before.endMs() + p.gapBeforeMs());
      }
      Phase split = phases.get(phases.size() - 2);
      Phase quorumLoss = phases.getLast();
      assertThat(split.fault()).isInstanceOf(FaultPlan.Split.class);
      assertThat(quorumLoss.fault()).isInstanceOf(FaultPlan.QuorumLoss.class);
      assertThat(quorumLoss.gapBeforeMs()).isEqualTo(FaultPlan.STALL_GAP_MS);
      assertThat(
              phases.stream()
                  .filter(
                      p ->
                          p.fault() instanceof FaultPlan.Split
                              || p.fault() instanceof FaultPlan.QuorumLoss))
          .as("one split, one quorum loss")
          .hasSize(2);
      assertThat(quorumLoss.endMs())
          .as("seed %d: the plan ends within the run", seed)
          .isLessThanOrEqualTo(duration.toMillis());
      assertThat(phases.getFirst().atMs()).isPositive();
    }
  }

  @ParameterizedTest(name = "{0} guardians, {1}, disks {2}")
  @MethodSource("scenarios")
  void victimsAreDistinctGuardiansAndAtMostFExceptInTheQuorumLossAndTheSplitLeavesNoSideAQuorum(
      int nodes, Duration duration, boolean disks) {
    int f = (nodes - 1) / 3;
    int quorum = nodes * 2 / 3 + 1;
    for (long seed = 0; seed < 50; seed++) {
      for (Phase p : FaultPlan.of(seed, nodes, duration, disks).phases()) {
        List<Integer> victims =
            switch (p.fault()) {
              case FaultPlan.Kill k -> k.victims();
              case FaultPlan.Freeze z -> List.of(z.guardian());
              case FaultPlan.Rpc r -> r.guardians().size() == nodes ? List.of(0) : r.guardians();
              case FaultPlan.Disk d -> List.of(d.full(), d.readOnly());
              case FaultPlan.Isolate i -> {
                assertThat(concat(i.cut(), i.rest()))
                    .containsExactlyInAnyOrderElementsOf(range(nodes));
                assertThat(i.rest()).hasSizeGreaterThanOrEqualTo(quorum);
                yield i.cut();
              }
              case FaultPlan.Split s -> {
                assertThat(s.sideA()).hasSizeLessThan(quorum);
                assertThat(s.sideB()).hasSizeLessThan(quorum);
                assertThat(concat(s.sideA(), s.sideB()))
                    .containsExactlyInAnyOrderElementsOf(range(nodes));
                yield List.of();
              }
              case FaultPlan.QuorumLoss q -> {
                assertThat(q.victims()).hasSize(f + 1);
                yield List.of();
              }
            };
        assertThat(victims)
            .as("seed %d, %s", seed, p)
            .doesNotHaveDuplicates()
            .allMatch(g -> g >= 0 && g < nodes);
        if (!(p.fault() instanceof FaultPlan.Disk))
          assertThat(victims).as("seed %d, %s", seed, p).hasSizeBetween(0, f);
      }
    }
  }

  @Test
  void onlyRunsOfFiveMinutesOrMoreRestartGuardiansWhileCutOffAndTheyHoldTheCutLongEnough() {
    boolean restarted = false;
    for (long seed = 0; seed < 50; seed++) {
      for (Phase p : FaultPlan.of(seed, 4, Duration.ofMinutes(10), true).phases()) {
        if (p.fault() instanceof FaultPlan.Isolate i && i.restart()) {
          restarted = true;
          assertThat(p.lengthMs()).isGreaterThanOrEqualTo(FaultPlan.RESTART_CUT_MS);
        }
      }
      for (Phase p : FaultPlan.of(seed, 4, Duration.ofSeconds(170), true).phases()) {
        if (p.fault() instanceof FaultPlan.Isolate i) {
          assertThat(i.restart()).isFalse();
          assertThat(p.lengthMs()).isGreaterThanOrEqualTo(FaultPlan.ISOLATE_MIN_MS);
        }
      }
    }
    assertThat(restarted).as("some 10-minute run restarts a cut-off guardian").isTrue();
  }

  @Test
  void withoutDiskFaultsNoDiskPhaseIsPlanned() {
    for (long seed = 0; seed < 50; seed++) {
      assertThat(FaultPlan.of(seed, 7, Duration.ofMinutes(10), false).phases())
          .noneMatch(p -> p.kind() == FaultKind.DISK);
    }
  }

  @Test
  void fewerThanFourGuardiansAreRefused() {
    assertThatThrownBy(() -> FaultPlan.of(1, 3, Duration.ofMinutes(2), true))
        .hasMessageContaining("at least 4 guardians");
  }

  private static List<Integer> concat(List<Integer> a, List<Integer> b) {
    List<Integer> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<Integer> range(int n) {
    return java.util.stream.IntStream.range(0, n).boxed().toList();
  }
}
