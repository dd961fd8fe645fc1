package dev.vigil.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import dev.vigil.signing.testing.TestKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.apache.pekko.remote.artery.tcp.SSLEngineProviderSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * Real Pekko clusters over Artery tls-tcp on loopback: two committee members form a cluster; an
 * outsider never joins it, whatever it presents. Each refusal first makes sure the outsider's
 * connection reached the member's TLS layer (so "nothing happened" means "refused", not "never
 * tried").
 */
class MutualTlsClusterIT {
  static final Signer M1 = TestKeys.signer(1);
  static final Signer M2 = TestKeys.signer(2);
  static final Signer NON_MEMBER = TestKeys.signer(9);
  static final Set<Address> COMMITTEE = Set.of(M1.address(), M2.address());
  static final Duration SETTLE = Duration.ofSeconds(8);

  final List<ActorSystem> systems = new ArrayList<>();
  ActorSystem seed;
  GuardianTls seedTls;
  final AtomicInteger seedConnections = new AtomicInteger();
  int seedPort;

  @BeforeEach
  void committeeOfTwo() throws Exception {
    seedPort = freePort();
    seedTls = tls(M1);
    seed = start(seedPort, "tls-tcp", counting(seedTls, seedConnections));
    ActorSystem second = start(freePort(), "tls-tcp", tls(M2));
    awaitTrue("both members Up on the seed", () -> upMembers(seed) == 2 && upMembers(second) == 2);
  }

  @AfterEach
  void stop() {
    for (ActorSystem s : systems) s.terminate();
    for (ActorSystem s : systems) {
      try {
        s.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // best effort
      }
    }
  }

  @Test
  void anOutsiderWithASelfSignedCertificateIsRefusedAtTheHandshake() throws Exception {
    KeyPair kp = GuardianCertificates.newTlsKeyPair();
    TlsIdentity outsider =
        new TlsIdentity(kp.getPrivate(), TlsTestCerts.selfSignedWithoutBinding(kp));
    assertRefused(
        start(
            freePort(),
            "tls-tcp",
            GuardianTls.create(
                outsider, () -> COMMITTEE, Secp256k1Backends.preferred(), Clock.systemUTC())),
        true);
  }

  @Test
  void aGuardianThatIsNoMemberIsRefusedAtTheHandshake() throws Exception {
    assertRefused(start(freePort(), "tls-tcp", tls(NON_MEMBER)), true);
  }

  @Test
  void aMembersCertificatePresentedWithAnotherKeyFailsTheHandshake() throws Exception {
    X509Pair stolen = identityOf(M2);
    TlsIdentity forged =
        new TlsIdentity(
            GuardianCertificates.newTlsKeyPair().getPrivate(), stolen.identity().certificate());
    assertRefused(
        start(
            freePort(),
            "tls-tcp",
            GuardianTls.create(
                forged, () -> COMMITTEE, Secp256k1Backends.preferred(), Clock.systemUTC())),
        false);
  }

  @Test
  void anOutsiderWithoutTlsIsRefused() throws Exception {
    assertRefused(start(freePort(), "tcp", null), false);
  }

  /**
   * The outsider tried (its connection reached the seed's TLS layer, and with {@code
   * certificateChecked} its certificate was refused by the committee check), and after a while it
   * is still no member: neither the committee nor the outsider sees it Up.
   */
  void assertRefused(ActorSystem outsider, boolean certificateChecked) throws Exception {
    int connectionsBefore = seedConnections.get();
    long refusedBefore = seedTls.refused();
    awaitTrue(
        "the outsider's connection reached the seed's TLS layer",
        () -> seedConnections.get() > connectionsBefore);
    if (certificateChecked)
      awaitTrue(
          "the seed refused the outsider's certificate", () -> seedTls.refused() > refusedBefore);
    Thread.sleep(SETTLE.toMillis()); // the outsider keeps retrying its join meanwhile
    assertThat(upMembers(seed)).as("members the seed sees").isEqualTo(2);
    assertThat(Cluster.get(seed).state().getMembers())
        .extracting(m -> m.address().port().get())
        .doesNotContain(Cluster.get(outsider).selfAddress().port().get());
    assertThat(Cluster.get(outsider).selfMember().status())
        .as("the outsider's own status")
        .isNotEqualTo(MemberStatus.up());
  }

  record X509Pair(TlsIdentity identity) {}

  static X509Pair identityOf(Signer guardian) {
    KeyPair kp = GuardianCertificates.newTlsKeyPair();
    return new X509Pair(
        new TlsIdentity(
            kp.getPrivate(),
            GuardianCertificates.issue(kp, guardian, Instant.now(), Duration.ofDays(1))));
  }

  static GuardianTls tls(Signer guardian) {
    return GuardianTls.create(
        identityOf(guardian).identity(),
        () -> COMMITTEE,
        Secp256k1Backends.preferred(),
        Clock.systemUTC());
  }

  ActorSystem start(int port, String transport, SSLEngineProvider tls) {
    Config c =
        ConfigFactory.parseString(
                """
        pekko.actor.provider = cluster
        pekko.loglevel = WARNING
        pekko.remote.artery.transport = %s
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = %d
        pekko.cluster.seed-nodes = ["pekko://vigil@127.0.0.1:%d"]
        pekko.cluster.jmx.enabled = off
        """
                    .formatted(transport, port, seedPort))
            .withFallback(ConfigFactory.load());
    ActorSystemSetup setup = ActorSystemSetup.create(BootstrapSetup.create(c));
    if (tls != null) setup = setup.and(SSLEngineProviderSetup.create(sys -> tls));
    ActorSystem s = ActorSystem.create("vigil", setup);
    systems.add(s);
    return s;
  }

  /** Counts the server-side engines the seed makes: one per inbound connection that reached TLS. */
  static SSLEngineProvider counting(SSLEngineProvider inner, AtomicInteger count) {
    return new SSLEngineProvider() {
      @Override
      public SSLEngine createServerSSLEngine(String hostname, int port) {
        count.incrementAndGet();
        return inner.createServerSSLEngine(hostname, port);
      }

      @Override
      public SSLEngine createClientSSLEngine(String hostname, int port) {
        return inner.createClientSSLEngine(hostname, port);
      }

      @Override
      public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        return inner.verifyClientSession(hostname, session);
      }

      @Override
      public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return inner.verifyServerSession(hostname, session);
      }
    };
  }

  static long upMembers(ActorSystem s) {
    long n = 0;
    for (Member m : Cluster.get(s).state().getMembers()) if (m.status() == MemberStatus.up()) n++;
    return n;
  }

  static void awaitTrue(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 60 s: " + what);
      Thread.sleep(100);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
