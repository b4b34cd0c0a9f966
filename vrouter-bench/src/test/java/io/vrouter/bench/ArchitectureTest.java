package io.vrouter.bench;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module edges of the real code (main classes of every module: vrouter-bench depends on all of them, so its
 * test classpath holds them all). The rules are in {@link Architecture}; {@link ArchitectureRulesTest} shows that
 * each one fails on a wrong-way dependency.
 */
@AnalyzeClasses(packages = ArchitectureTest.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest
{
    static final String ROOT = "io.vrouter";

    private ArchitectureTest()
    {
    }

    @ArchTest
    static final ArchRule LAYERING = Architecture.layering(ROOT);

    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = Architecture.packageCycles(ROOT);

    @ArchTest
    static final ArchRule NO_NETTY_BELOW_THE_AGENT = Architecture.noNettyBelowTheAgent(ROOT);

    @ArchTest
    static final ArchRule XMPP_STANDS_ALONE = Architecture.xmppStandsAlone(ROOT);

    @ArchTest
    static final ArchRule CLI_USES_NO_SERVER_CLASS = Architecture.cliUsesNoServerClass(ROOT);

    @ArchTest
    static final ArchRule FIXTURES_STAY_OUT_OF_PRODUCTION = Architecture.fixturesStayOutOfProduction(ROOT);

    /**
     * The rules above pass vacuously on classes that were not imported: every module must be there.
     *
     * @param classes what was imported.
     */
    @ArchTest
    static void everyModuleIsImported(final JavaClasses classes)
    {
        for (final String module : List.of("wire", "encap", "core", "xmpp", "agent", "tools", "bench"))
        {
            final String prefix = ROOT + "." + module;
            assertTrue(classes.stream().anyMatch(c -> c.getPackageName().equals(prefix)
                || c.getPackageName().startsWith(prefix + ".")), "no class of " + prefix + " imported");
        }
    }
}
