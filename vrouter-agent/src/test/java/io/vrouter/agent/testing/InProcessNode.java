package io.vrouter.agent.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.core.VRouter;
import io.vrouter.core.control.Errno;
import io.vrouter.core.control.Response;
import io.vrouter.core.control.SandeshObject;

/**
 * A {@link NodeService} over a real in-process {@link VRouter} with a single-thread executor as the
 * conductor. Ports are only recorded (no interfaces are created): add refuses a duplicate name with
 * -EEXIST and a namespace named {@code missing} with -ENOENT, delete refuses an unknown name with
 * -ENOENT.
 */
public final class InProcessNode implements NodeService, AutoCloseable
{
    private final VRouter vrouter;
    private final ExecutorService conductor = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "test-conductor");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, PortSpec> ports = new LinkedHashMap<>();

    /**
     * A node over a forwarder.
     *
     * @param vrouter the forwarder.
     */
    public InProcessNode(final VRouter vrouter)
    {
        this.vrouter = vrouter;
    }

    @Override
    public List<Response> program(final List<SandeshObject> requests)
    {
        final List<SandeshObject> copy = List.copyOf(requests);
        return onConductor(() ->
        {
            final List<Response> out = new ArrayList<>(copy.size());
            for (final SandeshObject r : copy)
            {
                out.add(vrouter.program(r));
            }
            return out;
        });
    }

    @Override
    public Response addPort(final PortSpec spec)
    {
        return onConductor(() ->
        {
            if (ports.containsKey(spec.name()))
            {
                return new Response(Errno.EEXIST, "port " + spec.name() + " exists", List.of());
            }
            if ("missing".equals(spec.netns()))
            {
                return new Response(Errno.ENOENT, "no namespace " + spec.netns(), List.of());
            }
            ports.put(spec.name(), spec);
            return Response.ok();
        });
    }

    @Override
    public Response deletePort(final String name)
    {
        return onConductor(() -> ports.remove(name) == null
            ? new Response(Errno.ENOENT, "no port " + name, List.of())
            : Response.ok());
    }

    @Override
    public List<PortSpec> ports()
    {
        return onConductor(() -> List.copyOf(ports.values()));
    }

    @Override
    public VRouter vrouter()
    {
        return vrouter;
    }

    /**
     * Stops the conductor.
     */
    @Override
    public void close()
    {
        conductor.shutdownNow();
    }

    private <T> T onConductor(final java.util.concurrent.Callable<T> task)
    {
        final Future<T> f = conductor.submit(task);
        try
        {
            return f.get();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException(e.getCause());
        }
    }
}
