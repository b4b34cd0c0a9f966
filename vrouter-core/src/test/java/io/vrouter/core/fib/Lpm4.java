package io.vrouter.core.fib;

/**
 * What the IPv4 contract tests need from an LPM implementation.
 */
interface Lpm4
{
    int lookup(int address);

    int add(int prefix, int prefixLength, int leaf);

    int delete(int prefix, int prefixLength, int replacementLeaf);

    void forEachRoute(RouteVisitor visitor);

    static Lpm4 of(final ReferenceLpm reference)
    {
        return new Lpm4()
        {
            public int lookup(final int address)
            {
                return reference.lookup(address);
            }

            public int add(final int prefix, final int prefixLength, final int leaf)
            {
                return reference.add(prefix, prefixLength, leaf);
            }

            public int delete(final int prefix, final int prefixLength, final int replacementLeaf)
            {
                return reference.delete(prefix, prefixLength, replacementLeaf);
            }

            public void forEachRoute(final RouteVisitor visitor)
            {
                reference.forEachRoute(visitor);
            }
        };
    }

    static Lpm4 of(final Ip4Fib fib)
    {
        return new Lpm4()
        {
            public int lookup(final int address)
            {
                return fib.lookup(address);
            }

            public int add(final int prefix, final int prefixLength, final int leaf)
            {
                return fib.add(prefix, prefixLength, leaf);
            }

            public int delete(final int prefix, final int prefixLength, final int replacementLeaf)
            {
                return fib.delete(prefix, prefixLength, replacementLeaf);
            }

            public void forEachRoute(final RouteVisitor visitor)
            {
                fib.forEachRoute(visitor);
            }
        };
    }
}
