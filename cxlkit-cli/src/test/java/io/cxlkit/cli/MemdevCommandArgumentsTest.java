package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The argument errors of set-alert-config, set-partition, the label commands, the sanitize and
 * poison commands and inject --media-error (memdev-commands.md §15.2-15.5, §12): ndctl's messages word for word, as usage errors (exit 2, one
 * line, nothing on stdout), before anything is contacted: the state directory has no daemon, so a
 * command that got as far as contacting one would have failed with exit 1 instead.
 */
class MemdevCommandArgumentsTest {

    @TempDir
    static Path dir;

    private static Cli.Run run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--state-dir", dir.resolve("nothing").toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    private static void assertUsageError(String command, String message, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "mem0"));
        all.addAll(Arrays.asList(args));
        Cli.Run r = run(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("cxlkit: " + command + ": " + message + " (try 'cxlkit " + command
                + " --help')" + System.lineSeparator());
    }

    @ParameterizedTest(name = "set-alert-config {1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "No action specified|''",
            "Action not specified|-L 30",
            "Action not specified|--over-temperature-threshold 50",
            "Threshold not specified|--life-used-alert on",
            "Threshold not specified|--pmem-err-alert on",
            "Disable not require threshold|--under-temperature-alert off -U 5",
            "Invalid action: yes|--volatile-mem-err-alert yes -V 5",
            "Invalid action: On|--life-used-alert On -L 5",
            "Invalid threshold: 30%|--life-used-alert on -L 30%",
            "Invalid threshold: 0x10|--pmem-err-alert on -P 0x10",
            "Invalid life used threshold: 101|--life-used-alert on -L 101",
            "Invalid life used threshold: -1|--life-used-alert on -L -1",
            "Invalid device temperature threshold: 32768|--over-temperature-alert on -O 32768",
            "Invalid device temperature threshold: -32769|--under-temperature-alert on -U -32769",
            "Invalid corrected mem error threshold: 65536|--volatile-mem-err-alert on -V 65536",
            "Invalid corrected mem error threshold: -5|--pmem-err-alert on --pmem-err-threshold -5",
            // the first warning in ndctl's order decides: life used, over, under, volatile, pmem
            "Threshold not specified|--pmem-err-alert on --life-used-alert off --over-temperature-alert on",
            "Invalid life used threshold: 200|--life-used-alert on -L 200 --pmem-err-alert bogus",
    })
    void setAlertConfigArgumentErrorsAreNdctlsMessages(String message, String args) {
        assertUsageError("set-alert-config", message, args.isEmpty() ? new String[0] : args.split(" "));
    }

    @ParameterizedTest(name = "set-partition {1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "invalid type 'disk'|-t disk",
            "invalid type 'PMEM'|--type PMEM",
            "failed to parse size option '1Q'|-s 1Q",
            "failed to parse size option '-1'|-s -1",
            "failed to parse size option '1.5G'|--size 1.5G",
            "failed to parse size option '18446744073709551615'|-s 18446744073709551615",
            "failed to parse size option '17179869184G'|-s 17179869184G",
            "failed to parse size option '0x'|-s 0x",
            "failed to parse size option '09'|-s 09",
    })
    void setPartitionArgumentErrors(String message, String args) {
        assertUsageError("set-partition", message, args.split(" "));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "read-labels|-s x|-s/--size expects a number of bytes, decimal or 0x hexadecimal, up to 4294967295: 'x'",
            "read-labels|-O -1|-O/--offset expects a number of bytes, decimal or 0x hexadecimal, up to 4294967295: '-1'",
            "zero-labels|--offset 4294967296|-O/--offset expects a number of bytes, decimal or 0x hexadecimal, up to "
                    + "4294967295: '4294967296'",
            "write-labels|--size 0x1_0|-s/--size expects a number of bytes, decimal or 0x hexadecimal, up to "
                    + "4294967295: '0x1_0'",
    })
    void labelRangeErrors(String command, String args, String message) {
        assertUsageError(command, message, args.split(" "));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "poison|''|give exactly one of --inject DPA and --clear DPA",
            "poison|--inject 0x40 --clear 0x40|give exactly one of --inject DPA and --clear DPA",
            "poison|--inject 0x41|--inject: DPA 0x41 is not 64-byte aligned",
            "poison|--clear 100|--clear: DPA 0x64 is not 64-byte aligned",
            "poison|--inject 0xZZ|--inject: '0xZZ' is not a DPA (decimal, or hexadecimal with 0x)",
            "poison|--clear -64|--clear: '-64' is not a DPA (decimal, or hexadecimal with 0x)",
            "inject|--media-error 0x20|--media-error: DPA 0x20 is not 64-byte aligned",
            "inject|--media-error x|--media-error: 'x' is not a DPA (decimal, or hexadecimal with 0x)",
            "inject|--media-error 0 --length 100|--length must be a positive multiple of 64 bytes, not 100",
            "inject|--media-error 0 --length 0|--length must be a positive multiple of 64 bytes, not 0",
            "inject|--media-disabled --length 64|--length goes with --media-error",
            "inject|--media-error 0 --gpf-fail|give exactly one fault per call",
            "inject|--clear --length 64|--clear takes no fault option",
    })
    void sanitizePoisonAndMediaErrorArgumentErrors(String command, String args, String message) {
        assertUsageError(command, message, args.isEmpty() ? new String[0] : args.split(" "));
    }

    @Test
    void everyLabelCommandAndSetCommandNeedsAMemdev() {
        for (String command : List.of("read-labels", "write-labels", "zero-labels", "set-alert-config",
                "set-partition", "sanitize-memdev", "wait-sanitize", "poison")) {
            Cli.Run r = run(command);
            assertThat(r.exit()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).startsWith("cxlkit: " + command + ": Missing required parameter: 'MEMDEV'");
        }
    }

    @Test
    void validArgumentsGetAsFarAsTheDaemon() {
        for (String[] args : List.of(new String[] {"set-alert-config", "mem0", "--life-used-alert", "on", "-L", "30"},
                new String[] {"set-alert-config", "mem0", "--life-used-alert", "off"},
                new String[] {"set-alert-config", "mem0", "--over-temperature-alert", "on", "-O", "-40"},
                new String[] {"set-partition", "mem0", "-t", "ram", "-s", "256M", "-a"},
                new String[] {"set-partition", "mem0", "-t", "volatile", "-s", "1GiB"},
                new String[] {"read-labels", "mem0", "-s", "0x100", "-O", "4096"},
                new String[] {"zero-labels", "all"},
                new String[] {"sanitize-memdev", "mem0", "-e"},
                new String[] {"sanitize-memdev", "all", "--secure-erase", "--strict"},
                new String[] {"wait-sanitize", "mem0", "-t", "500"},
                new String[] {"wait-sanitize", "mem0", "mem1", "--timeout", "0"},
                new String[] {"poison", "mem0", "--inject", "0x1000"},
                new String[] {"poison", "0", "--clear", "4096"},
                new String[] {"inject", "mem0", "--media-error", "0x40", "--length", "128"},
                new String[] {"list", "-L"})) {
            Cli.Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", args)).contains("no daemon running for");
        }
    }

    @Test
    void setAlertConfigsVersionIsLongOnlyForVIsNdctlsVolatileThreshold() {
        Cli.Run v = Cli.run("set-alert-config", "--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("cxlkit ");
        Cli.Run h = Cli.run("set-alert-config", "-h");
        assertThat(h.exit()).isZero();
        assertThat(h.out()).contains("-V, --volatile-mem-err-threshold=THRESHOLD").contains("--version");
    }
}
