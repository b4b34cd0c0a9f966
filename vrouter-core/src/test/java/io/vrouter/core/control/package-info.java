/**
 * Programming tests: validation, return codes, whole-or-nothing.
 */
package io.vrouter.core.control;
