package dev.vigil.node.transport;

import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.setup.Setup;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.apache.pekko.remote.artery.tcp.SSLEngineProviderSetup;
import scala.Option;

/**
 * Mutual TLS between guardians for Pekko Artery ({@code transport = tls-tcp}): TLS 1.3, each side
 * presents its {@link TlsIdentity}, and each side accepts only a certificate bound to a committee
 * member's key ({@link CommitteeTrustManager}). An outsider with no certificate, a self-signed one,
 * or a member's certificate without that member's TLS key fails the handshake, before any Pekko
 * message is read.
 */
public final class GuardianTls implements SSLEngineProvider {
  static final String PROTOCOL = "TLSv1.3";

  private final SSLContext context;
  private final CommitteeTrustManager trust;

  private GuardianTls(SSLContext context, CommitteeTrustManager trust) {
    this.context = context;
    this.trust = trust;
  }

  /**
   * The provider for {@code identity}, trusting the members {@code members} gives at each
   * handshake.
   */
  public static GuardianTls create(
      TlsIdentity identity, Supplier<Set<Address>> members, Secp256k1 backend, Clock clock) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] none = new char[0];
      ks.setKeyEntry("guardian", identity.key(), none, new Certificate[] {identity.certificate()});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, none);
      CommitteeTrustManager trust = new CommitteeTrustManager(members, backend, clock);
      SSLContext ctx = SSLContext.getInstance(PROTOCOL);
      ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {trust}, new SecureRandom());
      return new GuardianTls(ctx, trust);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot set up TLS for the cluster: " + e.getMessage(), e);
    }
  }

  /** The setup to give an ActorSystem (with {@code pekko.remote.artery.transport = tls-tcp}). */
  public Setup setup() {
    return SSLEngineProviderSetup.create(system -> this);
  }

  /** Handshakes refused so far (outsiders, non-members, bad bindings). */
  public long refused() {
    return trust.refused();
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine e = context.createSSLEngine(hostname, port);
    e.setUseClientMode(false);
    e.setNeedClientAuth(true);
    e.setEnabledProtocols(new String[] {PROTOCOL});
    return e;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine e = context.createSSLEngine(hostname, port);
    e.setUseClientMode(true);
    e.setEnabledProtocols(new String[] {PROTOCOL});
    return e;
  }

  // The trust manager has checked the peer's certificate during the handshake; nothing more to
  // check.
  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty();
  }
}
