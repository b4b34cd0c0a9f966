package io.vrouter.tools.controller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * The model in one YAML file ({@link Cluster#toYaml()}) on the controller's disk, written whole (to a
 * temporary file, then renamed over the old one) after every change: the embedded default, for a single
 * controller. Without a file the model lives only in memory.
 */
public final class FileClusterStore implements ClusterStore
{
    private final Path file;
    private Cluster committed;
    private long version;
    private Listener listener;

    /**
     * A store.
     *
     * @param initial the model to start from (loaded from {@code file}, or new); copied.
     * @param file    where to save it after each change, or null to keep it in memory only.
     */
    public FileClusterStore(final Cluster initial, final Path file)
    {
        this.committed = initial.copy();
        this.file = file;
    }

    @Override
    public void start(final Listener listener)
    {
        final Cluster model;
        final long v;
        synchronized (this)
        {
            this.listener = listener;
            model = committed;
            v = version;
        }
        listener.modelChanged(model, v);
    }

    @Override
    public <T> T update(final Function<Cluster, T> change)
    {
        final Cluster draft;
        final T result;
        final long v;
        final Listener l;
        synchronized (this)
        {
            draft = committed.copy();
            result = change.apply(draft);
            save(draft);
            committed = draft;
            v = ++version;
            l = listener;
        }
        // Outside the lock: the listener takes its own lock, and a caller holding that lock may be in here.
        if (l != null)
        {
            l.modelChanged(draft, v);
        }
        return result;
    }

    @Override
    public String sync()
    {
        return null;
    }

    @Override
    public boolean local()
    {
        return true;
    }

    @Override
    public String describe()
    {
        return file == null ? "in memory" : "state " + file;
    }

    private void save(final Cluster model)
    {
        if (file == null)
        {
            return;
        }
        try
        {
            final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, model.toYaml());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException e)
        {
            throw new StoreUnavailableException("cannot save the controller state to " + file + ": " + e, e);
        }
    }

    @Override
    public void close()
    {
    }
}
