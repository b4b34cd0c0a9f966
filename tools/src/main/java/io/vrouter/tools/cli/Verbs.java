package io.vrouter.tools.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Checks the write verbs share: options a verb needs, and options given where they mean nothing
 * (Contrail's tools print their usage for both; these name the option, exit status 2).
 */
final class Verbs
{
    private Verbs()
    {
    }

    /**
     * Refuses a command line that lacks any of the named values.
     *
     * @param spec          the command.
     * @param verb          e.g. {@code "nh --create"}, for the message.
     * @param namesAndValues option name, value (null when not given), ...
     */
    static void required(final CommandSpec spec, final String verb, final Object... namesAndValues)
    {
        final List<String> missing = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            if (namesAndValues[i + 1] == null)
            {
                missing.add((String)namesAndValues[i]);
            }
        }
        if (!missing.isEmpty())
        {
            throw CliValues.usage(spec, verb + " needs " + String.join(", ", missing));
        }
    }

    /**
     * Refuses any of {@code options} given on the command line: they belong to another verb.
     *
     * @param spec    the command.
     * @param verb    the verb they belong to, for the message.
     * @param options option names.
     */
    static void only(final CommandSpec spec, final String verb, final Collection<String> options)
    {
        for (final String name : given(spec))
        {
            if (options.contains(name))
            {
                throw CliValues.usage(spec, name + " goes with " + verb);
            }
        }
    }

    /**
     * Refuses any option given on the command line that is not in {@code allowed}.
     *
     * @param spec    the command.
     * @param what    what the options would apply to, for the message (e.g. "a type 2 (Encap) next hop").
     * @param allowed option names that apply.
     */
    static void allowed(final CommandSpec spec, final String what, final Collection<String> allowed)
    {
        for (final String name : given(spec))
        {
            if (!allowed.contains(name))
            {
                throw CliValues.usage(spec, name + " does not apply to " + what);
            }
        }
    }

    /** The longest name of each option matched on the command line, global options left out. */
    private static List<String> given(final CommandSpec spec)
    {
        final List<String> names = new ArrayList<>();
        for (final OptionSpec o : spec.commandLine().getParseResult().matchedOptions())
        {
            if (!o.inherited())
            {
                names.add(o.longestName());
            }
        }
        return names;
    }
}
