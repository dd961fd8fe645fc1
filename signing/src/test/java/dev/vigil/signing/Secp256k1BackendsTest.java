package dev.vigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.signing.Secp256k1Backends.Chooser;
import dev.vigil.signing.Secp256k1Backends.NativeLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class Secp256k1BackendsTest {
  private static final String WHY =
      "java.lang.UnsatisfiedLinkError: /tmp/secp256k1-jni.so: failed to map segment";
  private final Secp256k1 loaded = Secp256k1Backends.nativeLibsecp256k1();

  @Test
  void nativeLoadsOnThisPlatformAndIsPreferred() {
    assertThat(Secp256k1Backends.isNativeAvailable()).isTrue();
    assertThat(Secp256k1Backends.nativeLoadFailure()).isEmpty();
    String saved = System.clearProperty(Secp256k1Backends.PROPERTY);
    try {
      assertThat(Secp256k1Backends.preferred().name()).isEqualTo("native");
      System.setProperty(Secp256k1Backends.PROPERTY, "bouncycastle");
      assertThat(Secp256k1Backends.preferred().name()).isEqualTo("bouncycastle");
    } finally {
      if (saved == null) System.clearProperty(Secp256k1Backends.PROPERTY);
      else System.setProperty(Secp256k1Backends.PROPERTY, saved);
    }
  }

  @Test
  void withoutNativeItFallsBackToBouncyCastleAndWarnsExactlyOnce() {
    Logger log = (Logger) LoggerFactory.getLogger("test.chooser.fallback");
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    log.addAppender(events);
    Chooser chooser = new Chooser(() -> new NativeLoad(null, WHY), log);

    for (int i = 0; i < 3; i++)
      assertThat(chooser.preferred(null).name()).isEqualTo("bouncycastle");

    assertThat(events.list).hasSize(1);
    ILoggingEvent warn = events.list.get(0);
    assertThat(warn.getLevel()).isEqualTo(Level.WARN);
    assertThat(warn.getFormattedMessage())
        .contains("native libsecp256k1 could not load")
        .contains(WHY)
        .contains("~5x")
        .contains("slower");
  }

  @Test
  void forcingBouncyCastleNeverLoadsNativeAndDoesNotWarn() {
    Logger log = (Logger) LoggerFactory.getLogger("test.chooser.forced");
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    log.addAppender(events);
    Chooser chooser =
        new Chooser(
            () -> {
              throw new AssertionError("native was loaded");
            },
            log);
    assertThat(chooser.preferred("bouncycastle").name()).isEqualTo("bouncycastle");
    assertThat(events.list).isEmpty();
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"native", "NATIVE", " Native "})
  void forcingNativeUsesIt(String value) {
    Chooser chooser =
        new Chooser(() -> new NativeLoad(loaded, null), (Logger) LoggerFactory.getLogger("test"));
    assertThat(chooser.preferred(value)).isSameAs(loaded);
  }

  @Test
  void forcingNativeWhenItCannotLoadFailsWithTheReason() {
    Chooser chooser =
        new Chooser(() -> new NativeLoad(null, WHY), (Logger) LoggerFactory.getLogger("test"));
    assertThatThrownBy(() -> chooser.preferred("native"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("system property vigil.secp256k1")
        .hasMessageContaining("could not load: " + WHY);
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"openssl", "bc", "libsecp256k1", "native,", "bouncy castle"})
  void unknownBackendNamesFailNamingTheValueAndTheChoices(String value) {
    Chooser chooser =
        new Chooser(() -> new NativeLoad(loaded, null), (Logger) LoggerFactory.getLogger("test"));
    assertThatThrownBy(() -> chooser.preferred(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown secp256k1 backend '" + value + "'")
        .hasMessageContaining("vigil.secp256k1")
        .hasMessageContaining("expected native or bouncycastle");
  }

  @Test
  void byNameGivesBothBackends() {
    assertThat(Secp256k1Backends.byName("native")).isSameAs(loaded);
    assertThat(Secp256k1Backends.byName("bouncycastle")).isSameAs(Secp256k1Backends.bouncyCastle());
    assertThatThrownBy(() -> Secp256k1Backends.byName("x"))
        .hasMessageContaining("unknown secp256k1 backend 'x'");
  }
}
