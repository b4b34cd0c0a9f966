/**
 * Tests of the flow stage: policy matrix, limits, aging, concurrency, restart, requests.
 */
package io.vrouter.core.flow;
