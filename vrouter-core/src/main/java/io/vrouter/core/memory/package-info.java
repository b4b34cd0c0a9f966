/**
 * Memory outside the heap: anonymous mappings advised for transparent huge pages.
 */
package io.vrouter.core.memory;
