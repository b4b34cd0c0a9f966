/**
 * Tunnel encapsulation and decapsulation (MPLSoUDP, MPLSoGRE, VXLAN) as "paint + fix up", the entropy hash for the
 * outer UDP source port, and packet builders the forwarder needs (ICMP errors, ARP and neighbour replies, MSS clamp).
 * <p>
 * Nothing in the per-packet functions allocates or throws on malformed input; decapsulation reports failures as
 * negative codes from {@link io.vrouter.encap.DecapResult}.
 */
package io.vrouter.encap;
