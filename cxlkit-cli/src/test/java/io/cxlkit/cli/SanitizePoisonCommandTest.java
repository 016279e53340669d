package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code poison}, {@code inject --media-error}, {@code list -L}, {@code sanitize-memdev} and
 * {@code wait-sanitize} against an embedded daemon (memdev-commands.md §12, §15.1, §15.5): their
 * output, their summary lines and their failures, as cli.md's conventions have them.
 */
class SanitizePoisonCommandTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    /** {@code list -L} of the factory mem0 with the given {@code media_errors} entries (none: no key). */
    private static String listL(String entries) {
        return "[\n  {\n    \"memdev\":\"mem0\",\n    \"pmem_size\":1073741824,\n    \"serial\":0,\n"
                + "    \"host\":\"0000:0d:00.0\",\n    \"firmware_version\":\"BWFW VERSION 0\""
                + (entries.isEmpty() ? "" : ",\n    \"media_errors\":[\n" + entries.indent(6) + "    ]") + "\n  }\n]\n";
    }

    @Test
    void poisonInjectListsTheLineAndClearTakesItAway() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            assertThat(d.run("list", "-L").out()).isEqualTo(listL(""));

            Cli.Run inject = d.run("poison", "mem0", "--inject", "0x1000");
            assertThat(inject).isEqualTo(new Cli.Run(0, "", ""));

            assertThat(d.run("list", "-L").out()).isEqualTo(listL("""
                    {
                      "offset":4096,
                      "length":64,
                      "source":"Injected"
                    }"""));
            assertThat(d.run("list", "-L", "-u", "-m", "mem0").out()).isEqualTo("""
                    {
                      "memdev":"mem0",
                      "pmem_size":"1024.00 MiB (1073.74 MB)",
                      "serial":"0",
                      "host":"0000:0d:00.0",
                      "firmware_version":"BWFW VERSION 0",
                      "media_errors":[
                        {
                          "offset":"0x1000",
                          "length":64,
                          "source":"Injected"
                        }
                      ]
                    }
                    """);
            // -L goes through the fast path and picocli alike
            assertThat(d.run("list", "--media-errors", "-m", "mem0").out()).isEqualTo(d.run("list", "-L").out());

            assertThat(d.run("poison", "0", "--clear", "4096")).isEqualTo(new Cli.Run(0, "", ""));
            assertThat(d.run("list", "-L").out()).isEqualTo(listL(""));
        }
    }

    @Test
    void aDevicesRefusalIsOneLineAndExit1() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("poison", "mem0", "--inject", "0x40000000"); // the first DPA beyond 1 GiB
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("cxlkit: poison: mem0: Inject Poison: Invalid Physical Address, 000Fh" + NL);
            assertThat(d.run("poison", "mem9", "--clear", "0").err())
                    .isEqualTo("cxlkit: poison: no memdev matches mem9" + NL);
        }
    }

    @Test
    void injectMediaErrorPoisonsTheLinesWithSourceInternal() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("inject", "mem0", "--media-error", "0x40000", "--length", "4096");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("[\n  {\n    \"memdev\":\"mem0\",\n    \"faults\":[\n    ]\n  }\n]\n");

            assertThat(d.run("list", "-L").out()).isEqualTo(listL("""
                    {
                      "offset":262144,
                      "length":4096,
                      "source":"Internal"
                    }"""));

            Cli.Run outside = d.run("inject", "mem0", "--media-error", "0x40000000");
            assertThat(outside.exit()).isEqualTo(1);
            assertThat(outside.out()).isEmpty();
            assertThat(outside.err()).isEqualTo("cxlkit: inject: mem0: media-error of 0x40 bytes at DPA 0x40000000 is not a "
                    + "64-byte aligned range inside 0x0..0x40000000" + NL);
        }
    }

    @Test
    void secureEraseCompletesAndPrintsNothing() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            Cli.Run r = d.run("sanitize-memdev", "mem0", "-e");
            assertThat(r).isEqualTo(new Cli.Run(0, "", "cxlkit: sanitize-memdev: secure erase completed on 1 mem device" + NL));
        }
    }

    @Test
    void aSanitizeOfZeroDurationIsDoneBeforeTheWait() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            assertThat(d.run("poison", "mem0", "--inject", "0x1000").exit()).isZero();

            Cli.Run r = d.run("sanitize-memdev", "all");
            assertThat(r).isEqualTo(new Cli.Run(0, "", "cxlkit: sanitize-memdev: sanitize started on 2 mem devices" + NL));
            Cli.Run w = d.run("wait-sanitize", "all");
            assertThat(w).isEqualTo(new Cli.Run(0, "", "cxlkit: wait-sanitize: wait sanitize completed on 2 mem devices"
                    + NL));
            assertThat(d.run("list", "-L", "-m", "mem0").out()).isEqualTo(listL("")); // the poison went with it
        }
    }

    @Test
    void whileASanitizeRunsASecondIsRefusedAndAShortWaitTimesOut() throws Exception {
        DeviceConfig slow = DeviceConfig.defaults(0).toBuilder()
                .timing(Timing.instant().withSanitizeTime(Duration.ofMinutes(10))).build();
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), slow)) {
            assertThat(d.run("sanitize-memdev", "mem0"))
                    .isEqualTo(new Cli.Run(0, "", "cxlkit: sanitize-memdev: sanitize started on 1 mem device" + NL));

            Cli.Run again = d.run("sanitize-memdev", "mem0", "-e");
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.errLines()).containsExactly("cxlkit: sanitize-memdev: mem0: a sanitize is already running",
                    "cxlkit: sanitize-memdev: secure erase completed on 0 mem device");

            Cli.Run waited = d.run("wait-sanitize", "mem0", "-t", "50");
            assertThat(waited.exit()).isEqualTo(1);
            assertThat(waited.errLines()).containsExactly("cxlkit: wait-sanitize: mem0: sanitize still running after 50 ms",
                    "cxlkit: wait-sanitize: wait sanitize failed on 0 mem device");

            // media is disabled while it is pending: the list leaves media_errors out, poison is refused
            Cli.Run list = d.run("list", "-L");
            assertThat(list.exit()).isZero();
            assertThat(list.out()).isEqualTo(listL(""));
            Cli.Run poison = d.run("poison", "mem0", "--inject", "0");
            assertThat(poison.exit()).isEqualTo(1);
            assertThat(poison.err()).isEqualTo("cxlkit: poison: mem0: Inject Poison: Media Disabled, 0007h" + NL);
        }
    }
}
