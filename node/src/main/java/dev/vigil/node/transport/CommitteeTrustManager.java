package dev.vigil.node.transport;

import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts a peer's certificate only when it is bound to the key of a committee member ({@link
 * GuardianCertificates#verify}); no certificate authority, no host names. Used for both directions:
 * a guardian accepts connections from members only and connects to members only.
 */
final class CommitteeTrustManager extends X509ExtendedTrustManager {
  private static final Logger log = LoggerFactory.getLogger(CommitteeTrustManager.class);

  /** A refusal is logged at most this often (an outsider can make many handshakes). */
  static final long LOG_EVERY_MILLIS = 10_000;

  private final Supplier<Set<Address>> members;
  private final Secp256k1 backend;
  private final Clock clock;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastLogged = new AtomicLong(0); // epoch millis of the last WARN

  CommitteeTrustManager(Supplier<Set<Address>> members, Secp256k1 backend, Clock clock) {
    this.members = members;
    this.backend = backend;
    this.clock = clock;
  }

  /** Handshakes refused so far. */
  long refused() {
    return refused.get();
  }

  /** The member a certificate chain proves, or a {@link CertificateException} naming why not. */
  Address check(X509Certificate[] chain, String peer) throws CertificateException {
    try {
      if (chain == null || chain.length == 0) throw new CertificateException("no certificate");
      Address a = GuardianCertificates.verify(chain[0], backend, clock.instant());
      if (!members.get().contains(a))
        throw new CertificateException(
            "guardian " + a.toChecksumHex() + " is not a member of the committee");
      return a;
    } catch (CertificateException e) {
      long n = refused.incrementAndGet();
      long now = clock.millis();
      long last = lastLogged.get();
      if (now - last >= LOG_EVERY_MILLIS && lastLogged.compareAndSet(last, now)) {
        log.warn(
            "Refused a cluster connection{}: {} ({} refused so far; logged at most every {} s)",
            peer == null ? "" : " with " + peer,
            e.getMessage(),
            n,
            LOG_EVERY_MILLIS / 1000);
      }
      throw e;
    }
  }

  private static String peer(SSLEngine engine) {
    return engine == null || engine.getPeerHost() == null
        ? null
        : engine.getPeerHost() + ":" + engine.getPeerPort();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, peer(engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, peer(engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, null);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
