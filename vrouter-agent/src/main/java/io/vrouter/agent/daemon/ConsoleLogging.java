package io.vrouter.agent.daemon;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The logging of every vrouter JVM (daemon, controller, CLIs): one line per event on stderr,
 * {@code 2026-12-07T16:34:20.744Z INFO  [main] Node - message}, {@code io.netty} at WARN, the rest at INFO
 * ({@code --log-level} changes the root level). Set up in code through logback's configurator service rather
 * than a {@code logback.xml}: reading the XML (Joran: a SAX parse, a model, dozens of lambdas spun) was the
 * largest single cost of the daemon's start, which a restart without the controller waits for
 * (docs/reliability.md). A {@code logback.configurationFile} property or a {@code logback-test.xml} on the
 * class path still wins: this configurator then steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator
{
    /**
     * For the service loader.
     */
    public ConsoleLogging()
    {
    }

    @Override
    public ExecutionStatus configure(final LoggerContext context)
    {
        if (System.getProperty("logback.configurationFile") != null ||
            ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null)
        {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        final LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        final LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        final ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{0} - %msg%n} and the stack trace of a
     * throwable, as the pattern layout would print them, without its pattern parser.
     */
    static final class LineLayout extends LayoutBase<ILoggingEvent>
    {
        private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneId.systemDefault());

        @Override
        public String doLayout(final ILoggingEvent event)
        {
            final StringBuilder b = new StringBuilder(128);
            TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), b);
            final String level = event.getLevel().toString();
            b.append(' ').append(level);
            for (int i = level.length(); i < 5; i++)
            {
                b.append(' ');
            }
            final String logger = event.getLoggerName();
            b.append(" [").append(event.getThreadName()).append("] ")
                .append(logger, logger.lastIndexOf('.') + 1, logger.length())
                .append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            final IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null)
            {
                b.append(ThrowableProxyUtil.asString(thrown));
            }
            return b.toString();
        }
    }
}
