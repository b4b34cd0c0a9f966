/**
 * Test support shared by test packages: real etcd members on loopback ({@link io.vrouter.tools.testing.EtcdCluster}).
 */
package io.vrouter.tools.testing;
