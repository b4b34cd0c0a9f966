/**
 * Tests for encapsulation, decapsulation, entropy hash and packet builders, including golden bytes from vtest pcaps.
 */
package io.vrouter.encap;
