# shellcheck shell=sh
# Sourced by ./jvs, ./mvnw (POSIX sh) and .ci/run. Exports JAVA_HOME as a JDK whose feature version is
# at least JVS_MIN_JAVA (25): JAVA_HOME if it qualifies, then the java on PATH, then the newest JDK in
# the usual JVM folders. Returns 1 with a message naming what it saw when there is none.

JVS_MIN_JAVA=25

# Prints the feature version (17, 25, ...) of the JDK at $1, or nothing when $1 is not a JDK.
jvs_jdk_feature() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  jvs_v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
  jvs_v=${jvs_v#1.}   # "1.8.0" is Java 8
  printf '%s\n' "${jvs_v%%[.+-]*}"
}

# Tries JDK home $1: exports it and succeeds when it is new enough; notes what it saw otherwise.
jvs_try_jdk() {
  jvs_f=$(jvs_jdk_feature "$1")
  jvs_seen="$jvs_seen  $1: ${jvs_f:-not a JDK}
"
  case $jvs_f in '' | *[!0-9]*) return 1 ;; esac
  [ "$jvs_f" -ge "$JVS_MIN_JAVA" ] || return 1
  JAVA_HOME=$1
  export JAVA_HOME
}

jvs_find_jdk() {
  jvs_seen=""
  if [ -n "${JAVA_HOME:-}" ] && jvs_try_jdk "$JAVA_HOME"; then return 0; fi
  if command -v java >/dev/null 2>&1; then
    jvs_home=$(readlink -f "$(command -v java)")
    if jvs_try_jdk "${jvs_home%/bin/java}"; then return 0; fi
  fi
  # The newest JDK in the usual folders; `ls -d` expands the patterns even under `set -f` (./mvnw).
  jvs_best="" jvs_best_f=0
  for jvs_home in $(sh -c 'ls -d /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* 2>/dev/null'); do
    [ -d "$jvs_home" ] || continue
    jvs_f=$(jvs_jdk_feature "$jvs_home")
    case $jvs_f in '' | *[!0-9]*) continue ;; esac
    jvs_seen="$jvs_seen  $jvs_home: $jvs_f
"
    if [ "$jvs_f" -ge "$JVS_MIN_JAVA" ] && [ "$jvs_f" -gt "$jvs_best_f" ]; then
      jvs_best=$jvs_home jvs_best_f=$jvs_f
    fi
  done
  if [ -n "$jvs_best" ]; then
    JAVA_HOME=$jvs_best
    export JAVA_HOME
    return 0
  fi
  printf 'jvswitch needs a JDK %s or newer and found none. Looked at:\n%sInstall one (for example Temurin 25) or set JAVA_HOME.\n' \
    "$JVS_MIN_JAVA" "${jvs_seen:-  (no JDK anywhere)
}" >&2
  return 1
}
