/**
 * Applying typed programming requests to the tables: validation against the tables and the writes.
 */
package io.vrouter.core.control;
