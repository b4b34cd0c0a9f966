#!/usr/bin/env bash
# ADR 0004's measurement: a pod floods 64-byte UDP frames; the node reads them into PacketBatch slots
# through a TAP device (read per frame) or an AF_PACKET TPACKET_V2 RX ring on a veth. Run as root
# (it compiles and uses the agent's test classpath). Creates and removes
# its own namespaces.  Usage: vrouter-agent/scripts/pod-io-experiment.sh [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bin/common.sh
secs=${1:-5}; rounds=${2:-3}
cp="vrouter-agent/target/test-classes:vrouter-agent/target/classes"
# Through the reactor, so that vrouter-core, vrouter-xmpp and vrouter-encap are this checkout's target/classes,
# never the snapshots another checkout left in ~/.m2.
mvn -B -q -o -pl vrouter-agent -am test-compile dependency:build-classpath -Dmdep.outputFile=target/exp-cp.txt >/dev/null
cp="$cp:$(cat vrouter-agent/target/exp-cp.txt)"
id=$(printf '%04x' $((RANDOM)))
node="vrx${id}n"; pod="vrx${id}p"
cleanup() { ip netns del "$node" 2>/dev/null || true; ip netns del "$pod" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$node"; ip netns add "$pod"
ip -n "$node" link set lo up; ip -n "$pod" link set lo up
for r in $(seq "$rounds"); do
  for m in tap packet; do
    # shellcheck disable=SC2086
    ip netns exec "$node" "$JAVA_HOME/bin/java" $VROUTER_JVM_FLAGS -cp "$cp" \
      io.vrouter.agent.experiment.PodIoExperiment "$m" "$pod" "$secs"
    ip -n "$pod" link del vrxp 2>/dev/null || true
  done
done
