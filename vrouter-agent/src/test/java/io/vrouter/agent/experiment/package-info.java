/**
 * The measured experiment behind ADR 0004 (pod packet I/O): TAP reads against an AF_PACKET
 * TPACKET_V2 receive ring, same sender, same machine (run by vrouter-agent/scripts/pod-io-experiment.sh).
 */
package io.vrouter.agent.experiment;
