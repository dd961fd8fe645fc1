package dev.vigil.consensus.threshold;

import dev.vigil.frost.Frost;
import dev.vigil.frost.KeyPackage;
import dev.vigil.frost.SignatureShare;
import dev.vigil.frost.SigningCommitment;
import dev.vigil.frost.SigningNonces;
import dev.vigil.signing.Digest;
import dev.vigil.storage.NonceRefusedException;
import dev.vigil.storage.NonceStore;
import dev.vigil.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FROST round one and two for one participant, with every nonce used at most once across crashes
 * and restarts: the sibling of the double-sign guard ({@code storage.GuardedSigner}).
 *
 * <ul>
 *   <li>{@link #commitBatch} makes nonces ahead, seals their secrets and writes them with their
 *       commitments in one synced write ({@link NonceStore#addBatch}); only then are the
 *       commitments returned, to be sent.
 *   <li>{@link #sign} reserves the nonce for the {@linkplain #sessionDigest session digest} with a
 *       synced write ({@link NonceStore#reserve}) and only then makes the share. The same session
 *       again (a retransmission, or a retry after a crash) gets the same share; any other session
 *       with that nonce is refused.
 * </ul>
 *
 * <p><b>What is reserved is the whole session, not only the message.</b> A share is {@code z = d +
 * e * rho + lambda * s * c}, where the binding factor {@code rho} and the challenge {@code c}
 * depend on the message <em>and on the list of commitments</em> (the signer set). Two shares from
 * one nonce in sessions with different commitment lists are two equations in the nonce and the
 * signing share; a third reveals the signing share. So the 32-byte digest recorded for a nonce is
 * {@link #sessionDigest}: the group key, the message and the sorted commitment list. Same digest,
 * same share, byte for byte.
 *
 * <p><b>Secrets at rest.</b> The secret nonces are sealed with AES-256-GCM under a key derived from
 * this participant's signing share (SHA-256 of a domain tag, the identifier, the signing share and
 * the group key), with the nonce id and commitment as associated data: a copy of the data dir alone
 * does not reveal them (nonces plus the public shares made with them would reveal the signing
 * share), and an entry moved to another id or altered does not open. Secret bytes never appear in
 * logs, {@code toString()} or exception messages.
 *
 * <p>Thread-safe (the store orders reservations); the sealing key is derived once.
 */
public final class NonceGuardedSigner {
  private static final Logger log = LoggerFactory.getLogger(NonceGuardedSigner.class);
  private static final byte[] SEAL_KEY_TAG = ascii("vigil.frost-nonce-seal-key.v1");
  private static final byte[] SEAL_AAD_TAG = ascii("vigil.frost-nonce.v1");
  private static final byte[] SESSION_TAG = ascii("vigil.frost-session.v1");
  private static final int IV_LENGTH = 12;
  private static final int TAG_BITS = 128;

  /** identifier u32 | hiding 33 B | binding 33 B. */
  static final int COMMITMENT_LENGTH = 4 + 33 + 33;

  private final Frost frost;
  private final KeyPackage key;
  private final NonceStore store;
  private final SecureRandom random;
  private final SecretKeySpec sealKey;

  /** A nonce made ahead: its id and the commitment to send with it. */
  public record Committed(long id, SigningCommitment commitment) {}

  public NonceGuardedSigner(Frost frost, KeyPackage key, NonceStore store, SecureRandom random) {
    this.frost = frost;
    this.key = key;
    this.store = store;
    this.random = random;
    byte[] share = key.signingShareBytes();
    byte[] k =
        sha256(
            SEAL_KEY_TAG,
            ByteBuffer.allocate(4).putInt(key.identifier()).array(),
            share,
            key.groupKey());
    Arrays.fill(share, (byte) 0);
    this.sealKey = new SecretKeySpec(k, "AES");
    Arrays.fill(k, (byte) 0);
  }

  public int identifier() {
    return key.identifier();
  }

  /**
   * Makes {@code count} nonces, writes them (sealed) with their commitments in one synced write,
   * and only then returns the commitments, ids ascending. When it throws, nothing of the batch was
   * written and no commitment may be sent.
   *
   * @throws StorageException the batch could not be written
   */
  public List<Committed> commitBatch(int count) {
    List<NonceStore.Entry> written =
        store.addBatch(
            count,
            id -> {
              SigningNonces nonces = frost.commit(key, random);
              byte[] commitment = encodeCommitment(nonces.commitment());
              byte[] secret = frost.exportNonces(nonces);
              try {
                return new NonceStore.Fresh(seal(id, commitment, secret), commitment);
              } finally {
                Arrays.fill(secret, (byte) 0);
              }
            });
    List<Committed> out = new ArrayList<>(written.size());
    for (NonceStore.Entry e : written) out.add(new Committed(e.id(), commitment(e)));
    return out;
  }

  /**
   * The signature share over {@code message} in the session of {@code commitments} (one per signer,
   * this participant's the one of nonce {@code id}), made only after the nonce is reserved for this
   * session with a synced write. The same session again returns the same share.
   *
   * @throws NonceRefusedException the nonce was used for another session, never issued, or pruned;
   *     nothing was signed
   * @throws IllegalArgumentException the session is malformed (this participant's commitment is
   *     missing or is not nonce {@code id}'s, a participant twice, fewer signers than the
   *     threshold); checked before reserving, so the nonce stays fresh
   * @throws StorageException the store could not be read or written, or the stored nonce is damaged
   *     (does not open, or does not match its commitment); nothing was signed
   */
  public SignatureShare sign(long id, byte[] message, List<SigningCommitment> commitments)
      throws NonceRefusedException {
    Digest session = sessionDigest(key.groupKey(), message, commitments);
    var stored = store.get(id);
    if (stored.isPresent()) checkSession(id, commitment(stored.get()), commitments);
    NonceStore.Reservation r;
    try {
      r = store.reserve(id, session);
    } catch (NonceRefusedException e) {
      log.warn("Refused to sign with FROST nonce {}: {}", id, e.getMessage());
      throw e;
    }
    if (r.repeat()) log.debug("FROST nonce {} signs session {} again", id, session);
    return share(r.nonce(), message, commitments);
  }

  /**
   * The share with a stored nonce, which the caller has reserved for this session. Package-private
   * so that the crash test can build a deliberately broken signer (share first, reserve after) and
   * show that its check catches it.
   */
  SignatureShare share(
      NonceStore.Entry nonce, byte[] message, List<SigningCommitment> commitments) {
    long id = nonce.id();
    SigningCommitment own = commitment(nonce);
    checkSession(id, own, commitments);
    byte[] secret = open(id, nonce.commitment(), nonce.sealedSecret());
    SigningNonces restored;
    try {
      restored = frost.importNonces(key, secret);
    } catch (IllegalArgumentException e) {
      throw damaged(id, "its secret does not decode (" + e.getMessage() + ")");
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    if (!restored.commitment().equals(own)) {
      throw damaged(id, "its secret does not match its stored commitment");
    }
    return frost.sign(key, restored, message, commitments);
  }

  /**
   * What a nonce is reserved for: SHA-256 of a domain tag, the group key, the message (with its
   * length) and the commitments sorted by participant (count, then identifier u32, hiding, binding
   * each). Everything a share depends on besides the key and the nonce.
   */
  public static Digest sessionDigest(
      byte[] groupKey, byte[] message, List<SigningCommitment> commitments) {
    if (message == null) throw new IllegalArgumentException("message is missing (null)");
    if (commitments == null || commitments.isEmpty()) {
      throw new IllegalArgumentException("the session has no commitments");
    }
    List<SigningCommitment> sorted = new ArrayList<>(commitments);
    sorted.sort(Comparator.comparingInt(SigningCommitment::identifier));
    MessageDigest md = sha256();
    md.update(SESSION_TAG);
    md.update(groupKey);
    md.update(ByteBuffer.allocate(4).putInt(message.length).array());
    md.update(message);
    md.update(ByteBuffer.allocate(4).putInt(sorted.size()).array());
    for (SigningCommitment c : sorted) md.update(encodeCommitment(c));
    return Digest.wrap(md.digest());
  }

  private void checkSession(long id, SigningCommitment own, List<SigningCommitment> commitments) {
    Set<Integer> seen = new HashSet<>();
    SigningCommitment listed = null;
    for (SigningCommitment c : commitments) {
      if (!seen.add(c.identifier())) {
        throw new IllegalArgumentException(
            "participant " + c.identifier() + " appears twice among the commitments");
      }
      if (c.identifier() == key.identifier()) listed = c;
    }
    if (listed == null) {
      throw new IllegalArgumentException(
          "participant " + key.identifier() + " is not among the signers " + seen);
    }
    if (!listed.equals(own)) {
      throw new IllegalArgumentException(
          "the commitment listed for participant "
              + key.identifier()
              + " is not the one of nonce "
              + id
              + "; refusing to sign");
    }
    if (seen.size() < key.minSigners()) {
      throw new IllegalArgumentException(
          "the session has "
              + seen.size()
              + " signers, fewer than the threshold "
              + key.minSigners());
    }
  }

  /** The commitment stored with a nonce, checked to be this participant's. */
  SigningCommitment commitment(NonceStore.Entry e) {
    byte[] b = e.commitment();
    if (b.length != COMMITMENT_LENGTH) {
      throw damaged(e.id(), "its commitment is " + b.length + " bytes, not " + COMMITMENT_LENGTH);
    }
    ByteBuffer buf = ByteBuffer.wrap(b);
    int identifier = buf.getInt();
    byte[] hiding = new byte[33];
    byte[] binding = new byte[33];
    buf.get(hiding).get(binding);
    if (identifier != key.identifier()) {
      throw damaged(
          e.id(),
          "it is participant " + identifier + "'s, this signer is participant " + key.identifier());
    }
    try {
      return new SigningCommitment(identifier, hiding, binding);
    } catch (IllegalArgumentException x) {
      throw damaged(e.id(), "its commitment does not decode (" + x.getMessage() + ")");
    }
  }

  static byte[] encodeCommitment(SigningCommitment c) {
    return ByteBuffer.allocate(COMMITMENT_LENGTH)
        .putInt(c.identifier())
        .put(c.hiding())
        .put(c.binding())
        .array();
  }

  private byte[] aad(long id, byte[] commitment) {
    return ByteBuffer.allocate(SEAL_AAD_TAG.length + 8 + commitment.length)
        .put(SEAL_AAD_TAG)
        .putLong(id)
        .put(commitment)
        .array();
  }

  private byte[] seal(long id, byte[] commitment, byte[] secret) {
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(aad(id, commitment));
      byte[] ct = c.doFinal(secret);
      return ByteBuffer.allocate(IV_LENGTH + ct.length).put(iv).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal FROST nonce " + id + ": " + e.getMessage(), e);
    }
  }

  private byte[] open(long id, byte[] commitment, byte[] sealed) {
    if (sealed.length <= IV_LENGTH) throw damaged(id, "its sealed secret is too short");
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          sealKey,
          new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, IV_LENGTH)));
      c.updateAAD(aad(id, commitment));
      return c.doFinal(sealed, IV_LENGTH, sealed.length - IV_LENGTH);
    } catch (javax.crypto.AEADBadTagException e) {
      throw damaged(
          id, "its sealed secret does not open (altered, moved, or sealed under another key)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot open FROST nonce " + id + ": " + e.getMessage(), e);
    }
  }

  private static StorageException damaged(long id, String why) {
    return new StorageException("stored FROST nonce " + id + " is unusable: " + why);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[]... parts) {
    MessageDigest md = sha256();
    for (byte[] p : parts) md.update(p);
    return md.digest();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "NonceGuardedSigner[participant " + key.identifier() + ", secrets redacted]";
  }
}
