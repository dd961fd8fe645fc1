package dev.vigil.node.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When a guardian decides that its cluster is an island and restarts its cluster node: only a
 * cluster smaller than a quorum, with some other seed alive outside it, for several looks in a row.
 */
class IslandWatchTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      alone after a restart, the others answer from their cluster     | true  | 1 | 2 | false | 1 | 2
      two of four apart, one seed answers from outside                | true  | 2 | 1 | false | 3 | 4
      the committee's cluster keeps its members                       | true  | 4 | 3 | true  | 3 | 0
      committee's cluster while two restarted guardians rejoin it     | true  | 2 | 2 | true  | 3 | 0
      a quorum of members: not an island even if a seed is outside    | true  | 3 | 1 | false | 3 | 0
      cold start, alone, nobody else up yet                            | true  | 1 | 0 | false | 3 | 0
      cut off by the network: no seed answers                          | true  | 1 | 0 | false | 2 | 0
      not joined yet: nothing to judge                                 | false | 1 | 2 | false | 3 | 0
      """)
  void countsLooksThatFindAnIsland(
      String row,
      boolean joined,
      int members,
      int foreignSeeds,
      boolean hadQuorum,
      int streak,
      int next) {
    List<String> seeds =
        java.util.stream.IntStream.range(0, foreignSeeds)
            .mapToObj(i -> "guardian-" + i + ":7100")
            .toList();
    assertThat(IslandWatch.next(streak, new IslandWatch.Look(joined, members, seeds), 3, hadQuorum))
        .isEqualTo(next);
  }
}
