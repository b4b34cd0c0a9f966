/**
 * Wire formats: allocation-free header flyweights over Agrona buffers, address helpers and Internet checksums.
 * <p>
 * Every flyweight follows the same rules: {@code wrap(buffer, offset)}, {@code *_OFFSET} constants relative to the
 * start of the header, getters that return widened unsigned values, setters that return {@code this}, network byte
 * order written out, and static accessors for single reads on the hot path. Addresses are primitives: IPv4 is an
 * {@code int}, IPv6 is two {@code long}s (hi, lo) and a MAC address is the low 48 bits of a {@code long}.
 * Flyweights do not validate: callers validate once at ingress and then trust the region.
 */
package io.vrouter.wire;
