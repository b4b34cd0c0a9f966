/**
 * Next hops: types, flags, the next-hop table and prebuilt rewrites.
 */
package io.vrouter.core.nh;
