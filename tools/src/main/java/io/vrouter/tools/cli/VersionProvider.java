package io.vrouter.tools.cli;

import io.vrouter.agent.api.ProjectVersion;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code -V/--version} of every tool: the same line as the daemon's ({@link ProjectVersion}), one version for the
 * whole project.
 */
public final class VersionProvider implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        return new ProjectVersion().getVersion();
    }
}
