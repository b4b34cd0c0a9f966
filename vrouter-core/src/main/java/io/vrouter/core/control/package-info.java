/**
 * Applying programming requests to the tables: validation and the writes.
 */
package io.vrouter.core.control;
