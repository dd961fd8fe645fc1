package dev.vigil.devnet;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.governance.CommitteeRotation;
import dev.vigil.consensus.governance.GovernanceRules;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Hex;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.testing.evm.LocalChain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Live committee rotations on a running devnet, as operators do them: the devnet plays every
 * operator, builds one rotation body, and injects it into each current member through its admin
 * socket ({@code vigil governance inject} sends the same request). Guardians that join start first
 * with the new committee in their node file; a removed guardian stops by itself (exit code 3).
 *
 * <p>The plan for a committee of n (guardians 0..n-1): grow to n + 1 (guardian n joins), replace
 * member n-1 by guardian n+1, shrink back to n (guardian n leaves).
 */
public final class Rotations {
  static final int EXTRA_GUARDIANS = 2;
  static final int EXIT_NOT_A_MEMBER = 3;
  static final Duration SWITCH_TIMEOUT = Duration.ofMinutes(3);

  /** One rotation: the committee it installs, as devnet guardian indices in signer order. */
  public record Step(String what, long newIndex, List<Integer> members) {}

  /** When a rotation was injected and when every member of the new committee served it. */
  public record Switch(
      long newIndex, long injectedNanos, long switchedNanos, List<Integer> members) {}

  private final Devnet devnet;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Switch> switches = new ArrayList<>();

  Rotations(Devnet devnet) {
    this.devnet = devnet;
  }

  public static List<Step> plan(int n) {
    List<Integer> first = range(0, n);
    List<Integer> grown = new ArrayList<>(first);
    grown.add(n);
    List<Integer> replaced = new ArrayList<>(grown);
    replaced.set(n - 1, n + 1);
    List<Integer> shrunk = new ArrayList<>(replaced);
    shrunk.remove(Integer.valueOf(n));
    return List.of(
        new Step("grow to " + (n + 1) + " (guardian " + n + " joins)", 1, grown),
        new Step("replace guardian " + (n - 1) + " by guardian " + (n + 1), 2, replaced),
        new Step("shrink back to " + n + " (guardian " + n + " leaves)", 3, shrunk));
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> l = new ArrayList<>();
    for (int i = from; i < to; i++) l.add(i);
    return l;
  }

  public static List<Address> addresses(List<Integer> guardians) {
    return guardians.stream().map(DevKeys::address).toList();
  }

  /** Runs the whole plan, one rotation after another, pausing between them. */
  List<Switch> run(int n, Duration pause) throws InterruptedException {
    List<Integer> current = range(0, n);
    for (Step step : plan(n)) {
      rotate(current, step);
      current = step.members();
      Thread.sleep(pause);
    }
    return List.copyOf(switches);
  }

  synchronized List<Switch> switches() {
    return List.copyOf(switches);
  }

  private void rotate(List<Integer> current, Step step) throws InterruptedException {
    List<Address> members = addresses(step.members());
    for (int g : step.members()) {
      if (g >= devnet.size()) {
        devnet.launch(g, step.newIndex(), members);
        devnet.say(
            "guardian %d (%s) starts as a member of committee %d, its node file names it; it joins once the rotation is attested",
            g, DevKeys.address(g), step.newIndex());
      }
    }
    for (int g : current) if (!step.members().contains(g)) devnet.retiring(g);
    GovernanceRules rules =
        new GovernanceRules(
            LocalChain.GOVERNANCE_CHAIN, Bytes32.wrap(LocalChain.governanceEmitter()));
    Body body =
        rules.rotationBody(
            step.newIndex(),
            0,
            System.currentTimeMillis() / 1000,
            new CommitteeRotation(0, step.newIndex(), members));
    long injected = System.nanoTime();
    devnet.say(
        "rotation to committee %d: %s, %d members, quorum %d; digest %s, injected at guardians %s",
        step.newIndex(),
        step.what(),
        members.size(),
        Committee.quorum(members.size()),
        body.digest().toHex(),
        current);
    for (int g : current) inject(g, body);
    long deadline = System.nanoTime() + SWITCH_TIMEOUT.toNanos();
    List<Integer> waiting = new ArrayList<>(step.members());
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "guardians "
                + waiting
                + " did not serve committee "
                + step.newIndex()
                + " within "
                + SWITCH_TIMEOUT.toSeconds()
                + " s after the rotation was injected");
      waiting.removeIf(g -> serves(g, step.newIndex()));
      if (!waiting.isEmpty()) Thread.sleep(500);
    }
    long switched = System.nanoTime();
    synchronized (this) {
      switches.add(new Switch(step.newIndex(), injected, switched, step.members()));
    }
    devnet.say(
        "committee %d serves: every member ready on it %.1f s after the injection",
        step.newIndex(), (switched - injected) / 1e9);
  }

  /**
   * Sends the governance-inject request to guardian {@code g}'s admin socket; throws if refused.
   */
  private void inject(int g, Body body) {
    var socket = devnet.dataDir(g).resolve("admin.sock");
    String request =
        "{\"command\":\"governance-inject\",\"body\":\"" + Hex.encode0x(body.encode()) + "\"}\n";
    for (int attempt = 1; ; attempt++) {
      try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        Channels.newOutputStream(c).write(request.getBytes(StandardCharsets.UTF_8));
        String answer =
            new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8))
                .readLine();
        if (answer != null && answer.contains("\"ok\":true")) return;
        throw new IllegalStateException("guardian " + g + " refused the rotation: " + answer);
      } catch (IOException e) {
        // restarting (an earlier rotation) or busy: the socket is back within seconds
        if (attempt >= 30)
          throw new IllegalStateException(
              "guardian " + g + "'s admin socket " + socket + " does not answer: " + e.getMessage(),
              e);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", ie);
        }
      }
    }
  }

  /** Whether guardian {@code g} is ready and serves committee {@code index}. */
  private boolean serves(int g, long index) {
    URI api = devnet.api(g);
    try {
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(api.resolve("/readyz")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (ready.statusCode() != 200) return false;
      HttpResponse<String> c =
          http.send(
              HttpRequest.newBuilder(api.resolve("/v1/committee"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return c.statusCode() == 200 && JSON.readTree(c.body()).path("index").asLong(-1) == index;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
