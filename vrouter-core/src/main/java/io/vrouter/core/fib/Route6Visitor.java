package io.vrouter.core.fib;

/**
 * Receives the routes of an {@link Ip6Fib} dump ({@link Ip6Fib#forEachRoute(Route6Visitor)}).
 */
@FunctionalInterface
public interface Route6Visitor
{
    /**
     * One route.
     *
     * @param prefixHi     upper 64 bits of the prefix (network order as a big-endian value), host bits zero.
     * @param prefixLo     lower 64 bits of the prefix.
     * @param prefixLength 0-128.
     * @param leaf         the route's terminal leaf ({@link Fib6Leaf}).
     */
    void onRoute(long prefixHi, long prefixLo, int prefixLength, int leaf);
}
