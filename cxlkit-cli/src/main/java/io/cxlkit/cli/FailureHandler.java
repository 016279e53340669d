package io.cxlkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where a command's exceptions become output: a {@link Failure} prints its lines
 * {@code cxlkit: <command>: <message>} and exits with its status; anything else is one line too
 * (exit 1), never a stack trace.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        return report(ex, cmd.getOut(), cmd.getErr(), commandName(cmd));
    }

    /** Prints what {@code ex} says about command {@code command}; the exit status. */
    static int report(Exception ex, PrintWriter out, PrintWriter err, String command) {
        String prefix = "cxlkit: " + command + ": ";
        int exit;
        if (ex instanceof Failure f) {
            f.messages().forEach(m -> err.println(prefix + oneLine(m)));
            exit = f.exitCode();
        } else {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            err.println(prefix + describe(ex));
            exit = 1;
        }
        err.flush();
        out.flush();
        return exit;
    }

    /** The command as the user typed it, without {@code cxlkit}: {@code list}, {@code fw read-slot}. */
    static String commandName(CommandLine cmd) {
        String qualified = cmd.getCommandSpec().qualifiedName(" ");
        String name = qualified.startsWith("cxlkit") ? qualified.substring("cxlkit".length()).trim() : qualified;
        return name.isEmpty() ? "cxlkit" : name;
    }

    /** One clear line for an unexpected exception. */
    static String describe(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (t instanceof NoSuchFileException e) {
            return e.getFile() + ": no such file or directory";
        }
        if (t instanceof AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        if (t instanceof FileSystemException e) {
            return oneLine(e.getMessage());
        }
        if (t instanceof InterruptedException) {
            return "interrupted";
        }
        String message = t.getMessage();
        if (t instanceof IOException) {
            return message == null ? t.getClass().getSimpleName() : oneLine(message);
        }
        return "internal error: " + t.getClass().getSimpleName() + (message == null ? "" : ": " + oneLine(message));
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
