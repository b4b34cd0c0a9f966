/**
 * Watching packets without touching the packet path when nobody watches: the packet trace (each
 * graph node a packet went through, what it decided, where it sent it, why it dropped it, how it
 * rewrote it) and the per-interface capture (frames received and sent, for a pcap file).
 * {@link io.vrouter.core.watch.PacketWatch} is shared by a forwarder's workers; a worker reads one
 * volatile flag per batch and takes its watched path only when a trace or a capture is armed.
 */
package io.vrouter.core.watch;
