package io.cxlkit.cli;

import picocli.CommandLine.Command;

/**
 * {@code cxlkit version}: what {@code cxlkit --version} prints, as ndctl's {@code cxl version}
 * prints what {@code cxl --version} does. Both come from {@link VersionProvider}.
 */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version, as --version does.")
public final class VersionCommand extends CliCommand {

    @Override
    protected int execute() {
        for (String line : spec.version()) {
            out().println(line);
        }
        out().flush();
        return 0;
    }
}
