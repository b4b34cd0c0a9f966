package io.vrouter.agent.controller;

/**
 * Creates and removes pods' network namespaces: the kubelet's part, which the lab's nodes play
 * themselves (the port itself is then created by the daemon's port-add).
 */
public interface PodNamespaces
{
    /**
     * Creates a namespace unless it exists.
     *
     * @param name namespace name.
     * @throws IllegalStateException when it cannot be created.
     */
    void ensure(String name);

    /**
     * Removes a namespace if it exists.
     *
     * @param name namespace name.
     */
    void remove(String name);
}
