/**
 * Counter tests.
 */
package io.vrouter.core.status;
