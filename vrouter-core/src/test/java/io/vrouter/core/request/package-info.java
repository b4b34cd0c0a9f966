/**
 * Request model tests: the mapping of each record to and from its untyped object, the refusals that
 * need no tables, the request builders.
 */
package io.vrouter.core.request;
