package io.vrouter.bench;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module edges as ArchUnit rules, over a root package: {@code io.vrouter} for the real modules
 * ({@link ArchitectureTest}), a fixture root for the test that the rules do fail
 * ({@link ArchitectureRulesTest}).
 */
final class Architecture
{
    private Architecture()
    {
    }

    /**
     * The layering: wire &lt;- encap &lt;- core &lt;- xmpp &lt;- agent &lt;- tools, bench on top. A layer
     * may use the layers below it, never one above (so nothing uses bench), and every class under the
     * root belongs to a layer, so that a new top-level package has to be placed here.
     *
     * @param root the root package ({@code io.vrouter}).
     * @return the rule.
     */
    static ArchRule layering(final String root)
    {
        return Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("wire").definedBy(root + ".wire..")
            .layer("encap").definedBy(root + ".encap..")
            .layer("core").definedBy(root + ".core..")
            .layer("xmpp").definedBy(root + ".xmpp..")
            .layer("agent").definedBy(root + ".agent..")
            .layer("tools").definedBy(root + ".tools..")
            .layer("bench").definedBy(root + ".bench..")
            .whereLayer("bench").mayNotBeAccessedByAnyLayer()
            .whereLayer("tools").mayOnlyBeAccessedByLayers("bench")
            .whereLayer("agent").mayOnlyBeAccessedByLayers("tools", "bench")
            .whereLayer("xmpp").mayOnlyBeAccessedByLayers("agent", "tools", "bench")
            .whereLayer("core").mayOnlyBeAccessedByLayers("xmpp", "agent", "tools", "bench")
            .whereLayer("encap").mayOnlyBeAccessedByLayers("core", "xmpp", "agent", "tools", "bench")
            .whereLayer("wire").mayOnlyBeAccessedByLayers("encap", "core", "xmpp", "agent", "tools", "bench")
            .ensureAllClassesAreContainedInArchitecture();
    }

    /**
     * No cycle between packages: every package is a slice of its own, a module's root package included
     * ({@code core}, {@code core.fib}, {@code core.nh}, {@code core.nh.kind}, {@code agent.control}, ...). The root
     * of {@code vrouter-core} holds only {@code VRouter}, which assembles the packages below it; the tables it
     * assembles them over live in {@code core.table}. Cycles across modules are the layering's business.
     *
     * @param root the root package ({@code io.vrouter}).
     * @return the rule.
     */
    static ArchRule packageCycles(final String root)
    {
        return slices().matching(root + ".(**)").namingSlices("$1").should().beFreeOfCycles();
    }

    /**
     * The forwarder and the bytes on the wire know nothing of netty: sockets are the agent's.
     *
     * @param root the root package ({@code io.vrouter}).
     * @return the rule.
     */
    static ArchRule noNettyBelowTheAgent(final String root)
    {
        return noClasses().that().resideInAnyPackage(root + ".wire..", root + ".encap..", root + ".core..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("the forwarder is pure: no sockets, no event loops");
    }

    /**
     * The XMPP channel uses the JDK, netty and SLF4J only: it knows nothing of the forwarder, so the
     * node agent and the reference controller can share it.
     *
     * @param root the root package ({@code io.vrouter}).
     * @return the rule.
     */
    static ArchRule xmppStandsAlone(final String root)
    {
        return noClasses().that().resideInAPackage(root + ".xmpp..")
            .should().dependOnClassesThat(
                resideInAPackage(root + "..").and(DescribedPredicate.not(resideInAPackage(root + ".xmpp.."))))
            .because("vrouter-xmpp depends on no other vrouter module");
    }

    /**
     * The operator CLI talks to the daemon through the API ({@code agent.api}), the control client and
     * the counter file, never through the server's classes.
     *
     * @param root the root package ({@code io.vrouter}).
     * @return the rule.
     */
    static ArchRule cliUsesNoServerClass(final String root)
    {
        final String agent = root + ".agent";
        return noClasses().that().resideInAPackage(root + ".tools.cli..")
            .should().dependOnClassesThat(serverSide(agent))
            .because("the CLI shares constants with the daemon through " + agent + ".api");
    }

    /**
     * The fixtures for tests and benchmarks ({@code core.testing}, {@code agent.testing},
     * {@code xmpp.testing}) are main code so that no test-jar is needed; nothing but other fixtures and
     * the benchmarks may use them.
     *
     * @param root the root package ({@code io.vrouter}).
     * @return the rule.
     */
    static ArchRule fixturesStayOutOfProduction(final String root)
    {
        return noClasses().that().resideInAPackage(root + "..")
            .and().resideOutsideOfPackages(root + ".*.testing..", root + ".bench..")
            .should().dependOnClassesThat().resideInAPackage(root + ".*.testing..");
    }

    private static DescribedPredicate<JavaClass> serverSide(final String agent)
    {
        final DescribedPredicate<JavaClass> serverClasses = belongTo(name(agent + ".control.ControlServer")
            .or(name(agent + ".control.StatsRequests"))
            .or(name(agent + ".control.PortRequests"))
            .or(name(agent + ".introspect.IntrospectServer"))
            .or(name(agent + ".introspect.IntrospectModel")));
        return resideInAnyPackage(agent + ".daemon..", agent + ".controller..", agent + ".port..", agent + ".fabric..")
            .or(serverClasses)
            .as("the agent's server side (packages daemon, controller, port, fabric; ControlServer, StatsRequests, "
                + "PortRequests, IntrospectServer, IntrospectModel)");
    }
}
