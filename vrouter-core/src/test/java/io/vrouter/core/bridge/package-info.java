/**
 * Bridge table tests.
 */
package io.vrouter.core.bridge;
