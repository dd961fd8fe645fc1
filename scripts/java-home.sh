# Sourced by ./mvnw and ./vigil: make sure JAVA_HOME points at a JDK 21 or newer.
# The machines' default `java` is 17, too old for web3j 4.14; Temurin 25 is at the path below.
vigil_java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
vigil_select_jdk() {
  vigil_c= vigil_m=
  for vigil_c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
           /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*; do
    [ -n "$vigil_c" ] && [ -x "$vigil_c/bin/java" ] && [ -x "$vigil_c/bin/javac" ] || continue
    vigil_m=$(vigil_java_major "$vigil_c")
    if [ -n "$vigil_m" ] && [ "$vigil_m" -ge 21 ]; then
      export JAVA_HOME="$vigil_c"; export PATH="$JAVA_HOME/bin:$PATH"
      # Maven's bundled Guice warns about sun.misc.Unsafe on JDK 24+; keep build logs readable.
      if [ "$vigil_m" -ge 24 ]; then
        case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
      fi
      return 0
    fi
  done
  echo "vigil: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm)." >&2
  echo "vigil: install one (e.g. Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64) or set JAVA_HOME to it." >&2
  return 1
}
# mvnw runs with `set -f`; the glob above needs it off for a moment.
case $- in *f*) vigil_noglob=1 ;; *) vigil_noglob= ;; esac
set +f
vigil_select_jdk || exit 1
[ -n "$vigil_noglob" ] && set -f
unset vigil_noglob
