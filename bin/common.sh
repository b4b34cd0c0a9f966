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
        (cd "$VROUTER_HOME" && mvn -B -q -DskipTests install) >&2 || { echo "vrouter: build failed" >&2; exit 1; }
    fi
}

vrouter_classpath() {
    echo "$VROUTER_HOME/tools/target/tools-0.1.0-SNAPSHOT.jar:$(cat "$VROUTER_HOME/tools/target/classpath.txt")"
}
