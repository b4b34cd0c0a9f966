/**
 * Tests of the FIB: contract tests against a naive reference, randomized differential tests, concurrency and memory.
 */
package io.vrouter.core.fib;
