/**
 * The reference controller: Kubernetes-style manifests in, networks, addresses, labels, pod
 * placement and route reflection/leaking out, served to the nodes over the XMPP channel.
 */
package io.vrouter.tools.controller;
