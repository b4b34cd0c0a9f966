package io.vrouter.tools.controller;

/**
 * The {@link ClusterStore} cannot commit (etcd unreachable or without a quorum, a state file that cannot be
 * written): the change was not made. The message is one line naming the store and the reason.
 */
public final class StoreUnavailableException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An exception.
     *
     * @param message the reason.
     * @param cause   the underlying failure, or null.
     */
    public StoreUnavailableException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
