/**
 * JMH benchmarks; packages mirror the code they measure.
 */
package io.vrouter.bench;
