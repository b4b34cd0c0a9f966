package io.vrouter.tools.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * kubectl-like tables: columns left-aligned, separated by three spaces, headers in capitals.
 */
public final class Tables
{
    private Tables()
    {
    }

    /**
     * {@code get pods -o wide}: NAMESPACE, NAME, READY, STATUS, IP, NODE.
     *
     * @param cluster the model.
     * @param up      nodes whose session is up.
     * @return the table.
     */
    public static String pods(final Cluster cluster, final Set<String> up)
    {
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAMESPACE", "NAME", "READY", "STATUS", "IP", "NODE"));
        for (final Cluster.Pod p : cluster.pods())
        {
            final boolean running = !p.node().isEmpty() && up.contains(p.node());
            rows.add(List.of(p.namespace(), p.name(), running ? "1/1" : "0/1",
                p.node().isEmpty() ? "Pending" : running ? "Running" : "Unknown", p.ip(),
                p.node().isEmpty() ? "<none>" : p.node()));
        }
        return render(rows);
    }

    /**
     * {@code get networks}: NAME (fq), KIND, CIDR, GATEWAY, DNS, ALLOCATION, ROUTING-INSTANCE.
     *
     * @param cluster the model.
     * @return the table.
     */
    public static String networks(final Cluster cluster)
    {
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "KIND", "CIDR", "GATEWAY", "DNS", "ALLOCATION", "ROUTING-INSTANCE"));
        for (final Cluster.Network n : cluster.networks())
        {
            rows.add(List.of(n.fqName(), n.kind(), n.cidr(), n.gateway(), n.dns(), n.topDown() ? "top-down"
                : "bottom-up",
                n.routingInstance()));
        }
        return render(rows);
    }

    /**
     * {@code get services -o wide}: NAMESPACE, NAME, CLUSTER-IP, PORT(S) ({@code port:targetPort/protocol}),
     * SELECTOR, ENDPOINTS (the ready backends' addresses).
     *
     * @param cluster the model.
     * @return the table.
     */
    public static String services(final Cluster cluster)
    {
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAMESPACE", "NAME", "CLUSTER-IP", "PORT(S)", "SELECTOR", "ENDPOINTS"));
        for (final Cluster.Service s : cluster.services())
        {
            final List<String> ports = new ArrayList<>();
            for (final Cluster.ServicePort p : s.ports())
            {
                ports.add(p.port() + ":" + p.targetPort() + "/" + p.protocol());
            }
            final List<String> selector = new ArrayList<>();
            s.selector().forEach((k, v) -> selector.add(k + "=" + v));
            final List<String> endpoints = cluster.endpoints(s).stream().map(Cluster.Pod::ip).toList();
            rows.add(List.of(s.namespace(), s.name(), s.clusterIp(), String.join(",", ports),
                String.join(",", selector), endpoints.isEmpty() ? "<none>" : String.join(",", endpoints)));
        }
        return render(rows);
    }

    static String render(final List<List<String>> rows)
    {
        final int columns = rows.get(0).size();
        final int[] width = new int[columns];
        for (final List<String> row : rows)
        {
            for (int i = 0; i < columns; i++)
            {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        final StringBuilder out = new StringBuilder();
        for (final List<String> row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++)
            {
                line.append(row.get(i));
                if (i < columns - 1)
                {
                    line.append(" ".repeat(width[i] - row.get(i).length() + 3));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
