package io.vrouter.core.fib;

class ReferenceLpmContractTest extends LongestPrefixMatchContractTests
{
    Lpm4 newLpm()
    {
        return Lpm4.of(new ReferenceLpm());
    }
}
