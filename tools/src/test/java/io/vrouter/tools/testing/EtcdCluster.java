package io.vrouter.tools.testing;

import java.io.IOException;
import java.util.List;

import io.vrouter.tools.lab.EtcdMembers;
import org.junit.jupiter.api.Assumptions;

/**
 * Test support: N etcd members ({@code etcd} from Debian's {@code etcd-server}) on loopback, each on free
 * client and peer ports with its own temporary data directory, forming one new cluster ({@link EtcdMembers},
 * which the lab's {@code --ha} also uses, inside its namespace). For the replicated controller's tests and any
 * end-to-end test that needs etcd:
 * <pre>
 * EtcdCluster.assumeAvailable("MyTest");            // skips loudly without etcd; fails under CI
 * try (EtcdCluster etcd = EtcdCluster.start(3))
 * {
 *     ... controllers given etcd.clientUrls() ...
 *     etcd.kill(0);      // SIGKILL a member (it stays down until restart(0))
 *     etcd.restart(0);   // the same member again, from its data directory
 *     etcd.freeze(2);    // SIGSTOP: its ports still accept connections but nothing is answered
 *     etcd.thaw(2);      // SIGCONT
 * }                      // every member killed and its directory removed, also when the test failed
 * </pre>
 * A JVM shutdown hook kills members a test left running when the JVM exits without closing.
 */
public final class EtcdCluster implements AutoCloseable
{
    /** The {@code --max-txn-ops} the members run with. */
    public static final int MAX_TXN_OPS = EtcdMembers.MAX_TXN_OPS;

    private final EtcdMembers members;

    private EtcdCluster(final EtcdMembers members)
    {
        this.members = members;
    }

    /**
     * The etcd binary: {@code etcd} on the PATH, or {@code /usr/bin/etcd}.
     *
     * @return its path, or null when there is none.
     */
    public static String binary()
    {
        return EtcdMembers.binary();
    }

    /**
     * Skips the calling test, saying why on stderr, when there is no etcd binary; under CI (the {@code CI}
     * variable set and not false) fails it instead, since CI installs {@code etcd-server}.
     *
     * @param test the test's name, for the message.
     */
    public static void assumeAvailable(final String test)
    {
        if (binary() != null)
        {
            return;
        }
        final String why = test + " needs etcd (Debian package etcd-server: apt-get install etcd-server); none on " +
            "the PATH";
        final String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false"))
        {
            throw new AssertionError(why + ": not available in CI");
        }
        System.err.println("SKIPPED LOUDLY: " + why);
        Assumptions.abort(why);
    }

    /**
     * Starts a new cluster of members and waits until every member reports itself healthy.
     *
     * @param count how many members (1, 3 or 5 make sense).
     * @return the cluster.
     * @throws IOException when etcd is absent or a member does not come up (its log tail in the message).
     */
    public static EtcdCluster start(final int count) throws IOException
    {
        return new EtcdCluster(EtcdMembers.start(count));
    }

    /**
     * Waits until a member answers {@code /health} with {@code "health":"true"} (it has a leader).
     *
     * @param i the member.
     * @throws IOException when it does not within 30 s, or its process ended.
     */
    public void awaitHealthy(final int i) throws IOException
    {
        members.awaitHealthy(i);
    }

    /**
     * The client URLs of every member, in member order.
     *
     * @return {@code http://127.0.0.1:PORT} each.
     */
    public List<String> clientUrls()
    {
        return members.clientUrls();
    }

    /**
     * One member's client URL.
     *
     * @param i the member.
     * @return {@code http://127.0.0.1:PORT}.
     */
    public String clientUrl(final int i)
    {
        return members.clientUrl(i);
    }

    /**
     * Kills a member with SIGKILL and waits for it to end.
     *
     * @param i the member.
     * @throws InterruptedException when interrupted.
     */
    public void kill(final int i) throws InterruptedException
    {
        members.kill(i);
    }

    /**
     * Starts a killed member again from its data directory and waits until it is healthy.
     *
     * @param i the member.
     * @throws IOException when it does not come up.
     */
    public void restart(final int i) throws IOException
    {
        members.restart(i);
    }

    /**
     * Stops a member with SIGSTOP: connections to it are accepted by the kernel but never answered.
     *
     * @param i the member.
     * @throws IOException when {@code kill} fails.
     */
    public void freeze(final int i) throws IOException
    {
        members.freeze(i);
    }

    /**
     * Lets a frozen member run again (SIGCONT).
     *
     * @param i the member.
     * @throws IOException when {@code kill} fails.
     */
    public void thaw(final int i) throws IOException
    {
        members.thaw(i);
    }

    /**
     * The last lines of a member's log.
     *
     * @param i the member.
     * @return up to 40 lines.
     */
    public String logTail(final int i)
    {
        return members.logTail(i);
    }

    @Override
    public void close()
    {
        members.close();
    }
}
