package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The commands run without picocli ({@link FastPath}) must not notice: every command line of the
 * corpus sets the same fields as picocli's parse, or is handed to picocli; {@code list} prints the
 * same, byte for byte, and exits the same through {@link Main#run} as through picocli alone; and
 * the table the fast path parses by is what picocli's model says now.
 */
class FastPathTest {

    @TempDir
    static Path dir;

    private static EmbeddedDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = EmbeddedDaemon.start(dir.resolve("state"), 3);
    }

    @AfterAll
    static void stopDaemon() {
        daemon.close();
    }

    private record Run(int exit, String out, String err) {
    }

    /** The corpus: command lines the fast parser takes, and ones it must hand to picocli. */
    static Stream<String> commandLines() {
        return Stream.of(
                // taken
                "list", "list -F", "list -M -F", "list --memdevs --firmware", "list -F -u", "list -u",
                "list --human -F --cxlkit", "list -m mem0", "list -F -m mem1", "list -m 0 -m 2",
                "list -m mem0,mem2", "list --memdev=mem1", "list -m all", "list -m mem7", "list -s 0",
                "list --serial=0x0", "list -s 5", "list -b root0", "list --bus=ACPI.CXL", "list -b 0",
                "list -b other", "list -m mem0 -s 0 -b root0 -F", "list -m mem001",
                "list -L", "list --media-errors -F", "list -L -u -m mem0", "list -H -I -A -L",
                // usage errors found while running: handed over
                "list -m bad!", "list -s nonsense", "list -s 0x", "list -m mem0 -m",
                // never taken
                "list -h", "list --help", "list -V", "list --version", "list -FM", "list -mmem0",
                "list -m=mem0", "list -F -F", "list --firmware=true", "list -LF", "list -L -L", "list -b root0 -b root0", "list -- -F",
                "list mem0", "list --bogus", "list -m -F", "list --memdev", "list --state-dir",
                "list --state-dir=", "list --state-dir ' '");
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void sameAsPicocli(String line) {
        String[] args = withStateDir(line.split(" "));
        Run picocli = picocli(args);
        Run fast = fast(args);
        assertThat(fast).isEqualTo(picocli);
    }

    @Test
    void noDaemonIsTheSameFailure() {
        String[] args = {"list", "-F", "--state-dir", dir.resolve("none").toString()};
        assertThat(FastPath.parse(args)).isNotNull();
        Run fast = fast(args);
        assertThat(fast).isEqualTo(picocli(args));
        assertThat(fast.exit()).isEqualTo(1);
        assertThat(fast.err()).isEqualTo("cxlkit: list: no daemon running for " + dir.resolve("none") + "\n");
    }

    /** update-firmware command lines: parsed only, since running them uploads. */
    static Stream<String> updateFirmwareLines() {
        return Stream.of(
                // taken
                "update-firmware mem0 -F fw.img", "update-firmware mem0 -F fw.img -w", "update-firmware -w -F fw.img mem0",
                "update-firmware mem0 mem1 -F fw.img -w --strict", "update-firmware mem0 --firmware-file=fw.img --wait",
                "update-firmware -c mem0", "update-firmware --cancel all", "update-firmware -S 0 -F fw.img",
                "update-firmware -b root0 mem0 -F fw.img -v", "update-firmware mem0 -F fw.img --cci tcp://127.0.0.1:2300 --eid 8",
                "update-firmware mem0 -F fw.img --eid 08", "update-firmware", "update-firmware mem0 -F fw.img --state-dir /tmp/x",
                // handed over
                "update-firmware mem0 -Fw fw.img", "update-firmware mem0 -F", "update-firmware mem0 -F fw.img -F other.img",
                "update-firmware mem0 -F fw.img --eid abc", "update-firmware mem0 -F fw.img --eid 0x10",
                "update-firmware -- mem0", "update-firmware mem0 -h", "update-firmware mem0 --wait=true",
                "update-firmware mem0 -F -", "update-firmware mem0 --bogus", "update-firmware mem0 -F fw.img -w -w");
    }

    @ParameterizedTest
    @MethodSource({"commandLines", "updateFirmwareLines"})
    void setsTheSameFieldsAsPicocliOrHandsOver(String line) {
        String[] args = withStateDir(line.split(" "));
        CliCommand fast = FastPath.parse(args);
        CommandLine cl = Main.commandLine(args);
        CliCommand picocli;
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(args);
            picocli = (CliCommand) parsed.subcommand().commandSpec().userObject();
        } catch (CommandLine.ParameterException e) {
            assertThat(fast).as("picocli refuses it: %s", e.getMessage()).isNull();
            return;
        }
        if (fast != null) {
            assertThat(fast).usingRecursiveComparison().ignoringFields("spec", "stateDir.mixee")
                    .isEqualTo(picocli);
        }
    }

    @Test
    void theCorpusExercisesBothWays() {
        List<String> taken = new ArrayList<>();
        List<String> handedOver = new ArrayList<>();
        Stream.concat(commandLines(), updateFirmwareLines())
                .forEach(line -> (FastPath.parse(withStateDir(line.split(" "))) != null ? taken : handedOver).add(line));
        assertThat(taken).contains("list -F", "list -m mem0 -s 0 -b root0 -F", "list -m bad!", "list -L",
                "list --media-errors -F",
                "update-firmware mem0 -F fw.img -w", "update-firmware -c mem0",
                "update-firmware mem0 -F fw.img --cci tcp://127.0.0.1:2300 --eid 8");
        assertThat(handedOver).contains("list -h", "list -FM", "list -F -F", "list mem0", "list -LF",
                "update-firmware mem0 -Fw fw.img", "update-firmware mem0 -F fw.img --eid abc");
    }

    @Test
    void theTableIsWhatPicocliSaysNow() throws Exception {
        String built;
        try (var in = FastPathTable.class.getResourceAsStream(FastPathTable.RESOURCE)) {
            assertThat(in).as("the build writes %s", FastPathTable.RESOURCE).isNotNull();
            built = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(built).isEqualTo(FastPathTable.text(FastPathTable.derive()));
        for (String command : FastPathTable.COMMANDS) {
            List<FastPathTable.Entry> entries = FastPathTable.read(command);
            assertThat(entries).isNotEmpty();
            Set<String> names = new HashSet<>();
            entries.forEach(e -> names.addAll(e.names()));
            Set<String> picocli = new HashSet<>();
            for (OptionSpec o : Main.commandLine(command).getSubcommands().get(command).getCommandSpec().options()) {
                picocli.addAll(Arrays.asList(o.names()));
            }
            assertThat(names).isEqualTo(picocli);
        }
    }

    private static String[] withStateDir(String[] args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (all.stream().noneMatch(a -> a.startsWith("--state-dir"))) {
            all.add("--state-dir");
            all.add(daemon.stateDir.toString());
        }
        return all.stream().map(a -> a.equals("' '") ? " " : a).toArray(String[]::new);
    }

    private static Run picocli(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run fast(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }
}
