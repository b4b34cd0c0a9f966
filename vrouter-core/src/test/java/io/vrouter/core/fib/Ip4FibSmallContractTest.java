package io.vrouter.core.fib;

class Ip4FibSmallContractTest extends LongestPrefixMatchContractTests
{
    Lpm4 newLpm()
    {
        return Lpm4.of(new Ip4Fib(Integer.MAX_VALUE, Ip4Fib.DEFAULT_MAX_PLIES, 0));
    }
}
