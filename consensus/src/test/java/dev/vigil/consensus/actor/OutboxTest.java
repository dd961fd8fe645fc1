package dev.vigil.consensus.actor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches are cut by bytes, in order, never empty, a large message alone in its own. */
class OutboxTest {
  @Test
  void largeMessagesAreCutIntoBatchesOfTheirOwnAndSmallOnesStayTogether() {
    int mib = 1 << 20;
    List<Integer> sizes = new ArrayList<>(Collections.nCopies(3, 300));
    sizes.add(mib + 300); // a 1 MiB payload
    sizes.addAll(Collections.nCopies(2, 300));
    sizes.add(mib + 300);
    sizes.add(mib + 300);
    sizes.addAll(Collections.nCopies(5000, 300)); // 1.5 MB of small ones

    List<List<Integer>> chunks = Outbox.chunks(sizes, Integer::intValue);

    assertThat(chunks.stream().flatMap(List::stream).toList()).as("in order, all").isEqualTo(sizes);
    assertThat(chunks).allSatisfy(c -> assertThat(c).isNotEmpty());
    assertThat(chunks)
        .as("within the budget, or a single message")
        .allSatisfy(
            c ->
                assertThat(
                        c.size() == 1
                            || c.stream().mapToLong(i -> i).sum() <= Outbox.MAX_BATCH_BYTES)
                    .isTrue());
    assertThat(chunks.subList(0, 5))
        .extracting(List::size)
        .as("3 small, the large one, 2 small, a large one, the other large one")
        .containsExactly(3, 1, 2, 1, 1);
    assertThat(chunks).hasSize(7); // 5000 small ones: 1.5 MB in two batches
  }

  @Test
  void aFlushOfSmallMessagesIsOneBatch() {
    assertThat(Outbox.chunks(Collections.nCopies(1000, 300), Integer::intValue)).hasSize(1);
    assertThat(Outbox.chunks(List.<Integer>of(), Integer::intValue)).isEmpty();
  }
}
