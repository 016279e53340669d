package io.cxlkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit write-labels MEMDEV [-s SIZE] [-O OFFSET] [-i FILE]}: ndctl's
 * {@code cxl write-labels} (memdev-commands.md §15.2). Writes FILE (standard input without
 * {@code -i}) into one memdev's Label Storage Area at OFFSET: with {@code -s} its first SIZE bytes
 * (an input that ends before fails), else all of it, refused as ndctl does when it is larger than
 * the area ({@code File size (N) greater than label area size (M), aborting}). A MEMDEV that selects
 * more than one memdev is ndctl's usage error, {@code write-labels only supports writing a single
 * memdev}. Then {@code cxlkit: write-labels: wrote N mem[s]}.
 */
@Command(name = "write-labels", mixinStandardHelpOptions = true,
        description = "Write a memdev's label storage area from a file or standard input, as ndctl's 'cxl write-labels'.")
public final class WriteLabelsCommand extends LabelCommand {

    /** The most input kept: the largest label storage area a device may have (16 MiB). */
    static final int MAX_INPUT = 16 << 20;

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "one memdev: memN or N; its serial number with -S")
    List<String> memdevs;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "read the label data from FILE "
            + "(default: standard input)")
    Path input;

    @Override
    protected int execute() throws Exception {
        checkRange();
        if (input != null && input.toString().isEmpty()) {
            throw usage("-i needs a file name");
        }
        MemdevSelector selector = selector(memdevs, filter);
        Selection selection = resolve(selector);
        if (selection.names().size() > 1) {
            throw usage("write-labels only supports writing a single memdev");
        }
        boolean wrote = false;
        if (!selection.names().isEmpty()) {
            String name = selection.names().get(0);
            try {
                write(name);
                wrote = true;
            } catch (TooLarge e) {
                report(e.getMessage()); // ndctl's line names no memdev
            } catch (ApiError e) {
                report(name + ": " + explain(name, e));
            } catch (IOException e) {
                report(name + ": " + FailureHandler.describe(e));
            }
        }
        report(countLine("wrote", wrote ? 1 : 0));
        return strict.exitStatus(wrote ? 1 : 0, selection.attempted());
    }

    /** ndctl's refusal of an input larger than the whole label area (without {@code -s}). */
    private static final class TooLarge extends Exception {
        TooLarge(long input, long labelSize) {
            super("File size (" + input + ") greater than label area size (" + labelSize + "), aborting", null, false,
                    false);
        }
    }

    private void write(String name) throws IOException, ApiError, TooLarge {
        long size = range.size();
        Input in = read(size);
        if (size != 0 && in.bytes().length < size) {
            throw new IOException((input == null ? "standard input" : input.toString()) + " ended after "
                    + in.bytes().length + " of " + size + " bytes");
        }
        if (size == 0 && in.total() > in.bytes().length) {
            throw new TooLarge(in.total(), labelSize(name)); // above any label area: the daemon is not sent it
        }
        try {
            daemon().put(memdevPath(name) + "/labels?offset=" + range.offset(), in.bytes());
        } catch (ApiError e) {
            // ndctl's check without -s: the whole input against the whole area, whatever the offset
            long labelSize = e.body().path("label_size").asLong(-1);
            if (size == 0 && e.status() == 413 && labelSize >= 0 && in.total() > labelSize) {
                throw new TooLarge(in.total(), labelSize);
            }
            throw e;
        }
        if (verbose) {
            report(name + ": wrote " + in.bytes().length + " bytes at offset " + range.offset());
        }
    }

    /**
     * The label area's size, from the daemon's refusal (its {@code label_size}) of a read that starts
     * beyond any label area; -1 if it does not say.
     */
    private long labelSize(String name) {
        try {
            daemon().download(memdevPath(name) + "/labels?offset=" + (1L << 32), java.io.OutputStream.nullOutputStream());
        } catch (ApiError e) {
            return e.body().path("label_size").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** The input: its first bytes (at most {@code size}, or {@link #MAX_INPUT} when 0) and how long it is in all. */
    private record Input(byte[] bytes, long total) {
    }

    private Input read(long size) throws IOException {
        long max = size != 0 ? size : MAX_INPUT;
        try (InputStream in = input == null ? nonClosing(System.in) : Files.newInputStream(input)) {
            byte[] bytes = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
            long total = bytes.length;
            if (size == 0) {
                for (long n = in.skip(Long.MAX_VALUE); n > 0 || in.read() >= 0; n = in.skip(Long.MAX_VALUE)) {
                    total += n > 0 ? n : 1;
                }
            }
            return new Input(bytes, total);
        } catch (IOException e) {
            if (input != null) {
                throw new IOException(input + ": " + FileErrors.reason(input, e), e);
            }
            throw e;
        }
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // standard input stays open
            }
        };
    }
}
