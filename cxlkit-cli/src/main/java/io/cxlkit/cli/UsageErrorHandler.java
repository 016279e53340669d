package io.cxlkit.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors (unknown option, bad value, missing argument): exactly one line on stderr,
 * {@code cxlkit: [<command>: ]<message> (try 'cxlkit [<command>] --help')}, and the
 * command's invalid-input exit code (picocli's default, 2).
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println(line(ex));
        cmd.getErr().flush();
        return cmd.getExitCodeExceptionMapper() != null
                ? cmd.getExitCodeExceptionMapper().getExitCode(ex)
                : cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    static String line(ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        String qualified = cmd.getCommandSpec().qualifiedName(" ");
        StringBuilder line = new StringBuilder("cxlkit: ");
        String sub = qualified.startsWith("cxlkit") ? qualified.substring("cxlkit".length()).trim() : qualified;
        if (!sub.isEmpty()) {
            line.append(sub).append(": ");
        }
        line.append(oneLine(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException) {
            List<String> suggestions = ((UnmatchedArgumentException) ex).getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
            }
        }
        line.append(" (try '").append(qualified).append(" --help')");
        return line.toString();
    }

    private static String oneLine(String message) {
        return message == null ? "invalid usage" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
