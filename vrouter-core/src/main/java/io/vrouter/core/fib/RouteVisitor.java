package io.vrouter.core.fib;

/**
 * Receives the routes of an {@link Ip4Fib} dump ({@link Ip4Fib#forEachRoute(RouteVisitor)}).
 */
@FunctionalInterface
public interface RouteVisitor
{
    /**
     * One route.
     *
     * @param prefix       IPv4 prefix, host bits zero (10.0.0.0 = 0x0A000000).
     * @param prefixLength 0-32.
     * @param leaf         the route's terminal leaf ({@link FibLeaf}).
     */
    void onRoute(int prefix, int prefixLength, int leaf);
}
