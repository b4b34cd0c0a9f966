package io.vrouter.core.fib;

class Ip4FibBigContractTest extends LongestPrefixMatchContractTests
{
    Lpm4 newLpm()
    {
        return Lpm4.of(new Ip4Fib(0, Ip4Fib.DEFAULT_MAX_PLIES, 0));
    }
}
