package io.vrouter.tools.controller;

import java.util.function.Function;

/**
 * Where the controller's {@link Cluster} model lives: a file on the controller's own disk
 * ({@link FileClusterStore}, the one-machine default) or etcd, shared by replicated controllers
 * ({@link EtcdClusterStore}).
 * <p>
 * A change is a function run against the latest committed model; the store commits its result whole
 * or not at all, then hands the new model to its listener. Every model the listener gets carries a
 * version that only grows, so a listener that is handed models from several threads keeps the newest.
 */
public interface ClusterStore extends AutoCloseable
{
    /** Told each new committed model (the listener must not change it). */
    @FunctionalInterface
    interface Listener
    {
        /**
         * A model was committed (here or, for a shared store, by another controller).
         *
         * @param model   the model; the listener copies what it keeps and never changes it.
         * @param version grows with every commit; a listener ignores a version it has passed.
         */
        void modelChanged(Cluster model, long version);
    }

    /**
     * Registers the listener and hands it the current model before returning.
     *
     * @param listener the listener.
     */
    void start(Listener listener);

    /**
     * Runs a change against the latest committed model and commits it whole, or not at all when the
     * change throws. The listener has been handed the committed model when this returns, so a read
     * after it sees the change (read-your-writes).
     *
     * @param change changes the draft model it is given and returns what the caller wants back.
     * @param <T>    the change's result.
     * @return the change's result.
     * @throws IllegalArgumentException  from the change; nothing committed.
     * @throws StoreUnavailableException when the store cannot commit; nothing committed.
     */
    <T> T update(Function<Cluster, T> change);

    /**
     * Brings the listener up to every change committed before this call, when the store is shared; on a
     * store that cannot be reached it returns at once and the listener keeps the last model it had.
     *
     * @return null when the model is current, else why it may be stale (one line).
     */
    String sync();

    /**
     * Whether {@link #update} is a local operation that may run on a thread holding the listener's own
     * lock (a file), as opposed to a network round trip whose result arrives on another thread.
     *
     * @return true for a local store.
     */
    boolean local();

    /**
     * What the store is, for logs: {@code state FILE}, {@code etcd URLS}.
     *
     * @return the description.
     */
    String describe();

    @Override
    void close();
}
