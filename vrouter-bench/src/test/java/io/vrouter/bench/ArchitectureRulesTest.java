package io.vrouter.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule of {@link Architecture} fails on the fixtures under {@code io.vrouter.bench.archfixture}, which break
 * each of them once: a "core" class that uses an "agent" class and netty, two "core" packages that use each other,
 * a channel that uses the core, a CLI that reads a server constant, a daemon that uses a test fixture.
 */
class ArchitectureRulesTest
{
    private static final String ROOT = "io.vrouter.bench.archfixture";
    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages(ROOT);

    @Test
    void layeringFailsOnAnImportTheWrongWay()
    {
        final EvaluationResult result = Architecture.layering(ROOT).evaluate(FIXTURES);
        assertTrue(result.hasViolation());
        assertTrue(report(result).contains("core.table.Table") && report(result).contains("agent.daemon.Daemon"),
            report(result));
    }

    @Test
    void packageCyclesFailOnTwoPackagesThatUseEachOther()
    {
        final EvaluationResult result = Architecture.packageCycles(ROOT).evaluate(FIXTURES);
        assertTrue(result.hasViolation());
        assertTrue(report(result).contains("core.table") && report(result).contains("core.lookup"), report(result));
    }

    @Test
    void noNettyFailsOnNettyInTheCore()
    {
        final EvaluationResult result = Architecture.noNettyBelowTheAgent(ROOT).evaluate(FIXTURES);
        assertTrue(result.hasViolation());
        assertTrue(report(result).contains("io.netty.buffer.ByteBuf"), report(result));
    }

    @Test
    void xmppRuleFailsOnTheChannelUsingTheCore()
    {
        final EvaluationResult result = Architecture.xmppStandsAlone(ROOT).evaluate(FIXTURES);
        assertTrue(result.hasViolation());
        assertTrue(report(result).contains("xmpp.Channel") && report(result).contains("core.lookup.Lookup"),
            report(result));
    }

    @Test
    void cliRuleFailsOnTheCliReadingAServerConstant()
    {
        final EvaluationResult result = Architecture.cliUsesNoServerClass(ROOT).evaluate(FIXTURES);
        assertTrue(result.hasViolation());
        assertTrue(report(result).contains("tools.cli.Ctl") && report(result).contains("agent.control.ControlServer"),
            report(result));
    }

    @Test
    void fixtureRuleFailsOnTheDaemonUsingATestFixture()
    {
        final EvaluationResult result = Architecture.fixturesStayOutOfProduction(ROOT).evaluate(FIXTURES);
        assertTrue(result.hasViolation());
        assertTrue(report(result).contains("agent.daemon.Daemon") && report(result).contains("core.testing.Topology"),
            report(result));
    }

    private static String report(final EvaluationResult result)
    {
        return String.join("\n", result.getFailureReport().getDetails());
    }
}
