# Sourced by the bin/ launchers: finds JDK 25, builds on first use, reads jvm.options.
VROUTER_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ ! -x "$JAVA_HOME/bin/java" ]; then
    echo "vrouter: JDK 25 not found (set JAVA_HOME to a JDK 25)" >&2
    exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
VROUTER_JVM_FLAGS="$(sed -n 's/^vrouter\.jvm\.flags=//p' "$VROUTER_HOME/jvm.options")"

vrouter_build_if_needed() {
    if [ ! -f "$VROUTER_HOME/tools/target/classpath.txt" ] || [ ! -f "$VROUTER_HOME/tools/target/tools-0.1.0-SNAPSHOT.jar" ]; then
        echo "vrouter: building (first use) ..." >&2
        (cd "$VROUTER_HOME" && mvn -B -q -DskipTests package) >&2 || { echo "vrouter: build failed" >&2; exit 1; }
    fi
}

# The project's own jars come from this checkout's target/ directories (never from ~/.m2, which
# another checkout may have written); third-party jars from the resolved runtime classpath.
vrouter_classpath() {
    local own="" m
    for m in tools vrouter-agent vrouter-xmpp vrouter-core vrouter-encap; do
        own="$own:$VROUTER_HOME/$m/target/$m-0.1.0-SNAPSHOT.jar"
    done
    local deps
    deps="$(tr ':' '\n' < "$VROUTER_HOME/tools/target/classpath.txt" | grep -v '/io/vrouter/' | paste -sd: -)"
    echo "${own#:}:$deps"
}
