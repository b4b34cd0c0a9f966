/**
 * Tests of the node agent: its RIB, and route programming through it into a real forwarder.
 */
package io.vrouter.agent.controller;
