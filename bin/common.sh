# Sourced by the bin/ launchers: finds JDK 25, checks prerequisites, builds on first use, reads jvm.options.
VROUTER_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VROUTER_JDK_HINT="install a JDK 25 (e.g. apt-get install temurin-25-jdk from packages.adoptium.net) and set JAVA_HOME to it"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ ! -x "$JAVA_HOME/bin/java" ]; then
    echo "vrouter: JDK 25 not found at $JAVA_HOME: $VROUTER_JDK_HINT" >&2
    exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
# Maven on JDK 25: no sun.misc.Unsafe warnings from Maven's own libraries (guava), and no terminal reset
# codes (ESC[0m) from its console library (jansi) when the output is not a terminal.
export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow -Djansi.noreset=true"
VROUTER_JVM_FLAGS="$(sed -n 's/^vrouter\.jvm\.flags=//p' "$VROUTER_HOME/jvm.options")"

# The Debian/Ubuntu package that provides each command the launchers and tests may need.
vrouter_package_of() {
    case "$1" in
        ping) echo iputils-ping ;;
        ip) echo iproute2 ;;
        nsenter) echo util-linux ;;
        tcpdump) echo tcpdump ;;
        tshark) echo tshark ;;
        openssl) echo openssl ;;
        busybox) echo busybox ;;
        promtool) echo prometheus ;;
        etcd) echo etcd-server ;;
        mvn) echo maven ;;
        *) echo "$1" ;;
    esac
}

# vrouter_require CMD...: checks that every command is on the PATH. What is missing is installed with
# apt-get when running as root (saying so first), otherwise the launcher stops with one line naming the
# missing commands and the command that installs them. A missing tool is never taken for a result.
vrouter_require() {
    local missing=() packages=() c
    for c in "$@"; do
        if ! command -v "$c" >/dev/null 2>&1; then
            missing+=("$c")
            packages+=("$(vrouter_package_of "$c")")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${VROUTER_NO_INSTALL:-}" ]; then
        echo "vrouter: ${missing[*]} missing; installing: apt-get install -y ${packages[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        if command -v debconf-set-selections >/dev/null 2>&1; then
            echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
        fi
        if ! { apt-get update -qq && apt-get install -y -qq "${packages[@]}"; } >/dev/null 2>&1; then
            echo "vrouter: could not install ${packages[*]} (apt-get failed); install them and run again" >&2
            exit 1
        fi
        for c in "${missing[@]}"; do
            command -v "$c" >/dev/null 2>&1 || { echo "vrouter: $c still missing after installing $(vrouter_package_of "$c")" >&2; exit 1; }
        done
        return 0
    fi
    echo "vrouter: missing ${missing[*]}; install with: sudo apt-get install -y ${packages[*]}" >&2
    exit 1
}

# vrouter_sources_newer_than FILE: true when a main source or a pom.xml was changed after FILE was built.
vrouter_sources_newer_than() {
    [ -n "$(find "$VROUTER_HOME" -path '*/target' -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
        -type f -newer "$1" -print -quit 2>/dev/null)" ]
}

vrouter_build_if_needed() {
    local jar="$VROUTER_HOME/tools/target/tools-0.1.0-SNAPSHOT.jar" why=""
    if [ ! -d "$VROUTER_HOME/tools/target/lib" ] || [ ! -f "$jar" ]; then
        why="first use"
    elif vrouter_sources_newer_than "$jar"; then
        # A checkout updated since the last build must not run yesterday's binaries.
        why="sources changed since the last build"
    fi
    if [ -n "$why" ]; then
        vrouter_require mvn
        echo "vrouter: building ($why: Maven compiles and packages the modules, about 1 to 2 minutes;" \
            "more when Maven first downloads the dependencies) ..." >&2
        local log status
        log="$(mktemp "${TMPDIR:-/tmp}/vrouter-build.XXXXXX")"
        # One line per module as Maven reaches it; the whole log is kept only when the build fails.
        set +e
        (cd "$VROUTER_HOME" && mvn -B -DskipTests package) 2>&1 | tee "$log" \
            | sed -un 's/^\[INFO\] Building \([^:]*\) [0-9][^ ]* *\(\[[0-9]*\/[0-9]*\]\)$/vrouter:   \2 \1/p' >&2
        status=${PIPESTATUS[0]}
        set -e
        if [ "$status" -ne 0 ]; then
            grep '^\[ERROR\]' "$log" | head -20 >&2
            echo "vrouter: build failed (exit $status); full log: $log" >&2
            exit 1
        fi
        rm -f "$log"
        echo "vrouter: built" >&2
    fi
}

# The project's own jars come from this checkout's target/ directories (never from ~/.m2, which
# another checkout may have written); third-party jars from tools/target/lib, which the build copies
# into the checkout so that any user who can read it can run the launchers.
vrouter_classpath() {
    local own="" m
    for m in tools vrouter-agent vrouter-xmpp vrouter-core vrouter-encap; do
        own="$own:$VROUTER_HOME/$m/target/$m-0.1.0-SNAPSHOT.jar"
    done
    echo "${own#:}:$VROUTER_HOME/tools/target/lib/*"
}

# vrouter_aot_flag: the JVM flag that starts vrouterd from its AOT cache (JDK 25; docs/reliability.md,
# "Restart without the controller"): target/aot/vrouterd.aot, trained again first (about 10 s, once) when it is
# missing, older than any jar of the class path, or made for another JDK or other flags. Prints nothing when
# VROUTER_NO_AOT is set or the training fails (the reason goes to stderr; the daemon then starts without it).
vrouter_aot_flag() {
    [ -z "${VROUTER_NO_AOT:-}" ] || return 0
    local cache="$VROUTER_HOME/target/aot/vrouterd.aot" made
    made="$("$JAVA_HOME/bin/java" -version 2>&1 | head -1) $VROUTER_JVM_FLAGS"
    if [ ! -f "$cache" ] || [ "$(cat "$cache.made" 2>/dev/null)" != "$made" ] \
        || [ -n "$(find "$VROUTER_HOME"/*/target/*.jar "$VROUTER_HOME/tools/target/lib" -newer "$cache" -print -quit)" ]; then
        # shellcheck disable=SC2086
        "$JAVA_HOME/bin/java" $VROUTER_JVM_FLAGS -cp "$(vrouter_classpath)" io.vrouter.tools.lab.AotCache \
            "$cache" $VROUTER_JVM_FLAGS >&2 || return 0
        echo "$made" > "$cache.made"
    fi
    echo "-XX:AOTCache=$cache"
}

# Launchers that pass their arguments to another program (Maven, JMH, the CNI plugin) answer -V/--version
# themselves first: the project's one version line, as every tool prints it.
vrouter_version_if_asked() {
    case "${1:-}" in
        -V|--version)
            [ $# -eq 1 ] || return 0
            exec "$VROUTER_HOME/bin/vrouterctl" --version ;;
    esac
}

# True when the arguments only ask for help or the version (no prerequisites needed for those).
vrouter_info_only() {
    local a
    for a in "$@"; do
        case "$a" in
            -h|--help|-V|--version) return 0 ;;
        esac
    done
    return 1
}
