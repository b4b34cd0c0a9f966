package io.vrouter.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;

/**
 * The code-built log line is the one the former {@code logback.xml} pattern printed, byte for byte, with and
 * without a stack trace, so that what reads the daemons' logs (the lab, the tests, operators' greps) sees no
 * change.
 */
class ConsoleLoggingTest
{
    private static final String FORMER_PATTERN =
        "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{0} - %msg%n";

    @Test
    void linesMatchTheFormerPattern()
    {
        final LoggerContext context = new LoggerContext();
        final PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(FORMER_PATTERN);
        pattern.start();
        final ConsoleLogging.LineLayout lines = new ConsoleLogging.LineLayout();
        lines.setContext(context);
        lines.start();
        final Logger logger = context.getLogger("io.vrouter.agent.daemon.Node");
        final LoggingEvent info = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
            "node {} started: {} worker(s)", null, new Object[] {"node-1", 2});
        info.setThreadName("main");
        info.setTimeStamp(1_796_000_000_123L);
        final LoggingEvent error = new LoggingEvent(Logger.class.getName(), context.getLogger("Top"), Level.ERROR,
            "cannot record {}", new IllegalStateException("broken", new java.io.IOException("disk")),
            new Object[] {"rt:1"});
        error.setThreadName("conductor");
        error.setTimeStamp(1_796_000_000_999L);
        final LoggingEvent warn = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "short", null, null);
        warn.setThreadName("multiThreadIoEventLoopGroup-4-1");
        warn.setTimeStamp(0);

        assertEquals(pattern.doLayout(info), lines.doLayout(info));
        assertEquals(pattern.doLayout(warn), lines.doLayout(warn));
        assertEquals(pattern.doLayout(error), lines.doLayout(error));
        assertTrue(lines.doLayout(error).contains("Caused by: java.io.IOException: disk"), lines.doLayout(error));
    }

    @Test
    void configuresTheConsoleUnlessAnXmlConfigurationIsGiven()
    {
        final LoggerContext context = new LoggerContext();
        final ConsoleLogging c = new ConsoleLogging();
        c.setContext(context);
        // The module's tests carry a logback-test.xml: the configurator steps aside for it.
        assertEquals(ConsoleLogging.ExecutionStatus.INVOKE_NEXT_IF_ANY, c.configure(context));
        assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext(),
            "nothing configured when stepping aside");
    }
}
