package io.cxlkit.cli;

import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Texts the docs fix byte for byte, and test packages. */
final class Expected {
    private Expected() {
    }

    /**
     * ndctl's warning when a command has no device to print ({@code util_display_json_array} with an
     * empty array): two spaces, the warning, a blank line. cxlkit prints it word for word.
     */
    static final String NO_MATCHING_DEVICES = "  Warning: no matching devices found\n\n";

    /** An empty JSON array as json-c prints it: {@code [} and {@code ]} on two lines. */
    static final String EMPTY_ARRAY = "[\n]\n";

    /** cli.md: with the factory defaults, {@code cxlkit list -F} prints exactly this. */
    static final String FACTORY_LIST_F = """
            [
              {
                "memdev":"mem0",
                "pmem_size":1073741824,
                "serial":0,
                "host":"0000:0d:00.0",
                "firmware_version":"BWFW VERSION 0",
                "firmware":{
                  "num_slots":2,
                  "active_slot":1,
                  "online_activate_capable":true,
                  "slot_1_version":"BWFW VERSION 0",
                  "fw_update_in_progress":false
                }
              }
            ]
            """;

    /** cli.md: {@code cxlkit list -F -u -m mem0}: the same object unwrapped, human sizes and serial. */
    static final String FACTORY_HUMAN_MEM0 = """
            {
              "memdev":"mem0",
              "pmem_size":"1024.00 MiB (1073.74 MB)",
              "serial":"0",
              "host":"0000:0d:00.0",
              "firmware_version":"BWFW VERSION 0",
              "firmware":{
                "num_slots":2,
                "active_slot":1,
                "online_activate_capable":true,
                "slot_1_version":"BWFW VERSION 0",
                "fw_update_in_progress":false
              }
            }
            """;

    /** The revision of {@link #packageFile}'s package. */
    static final String NEW_REVISION = "BWFW VERSION 1";

    /** A small valid package (fits one MCTP Transfer FW Full with the default 1 KiB messages). */
    static byte[] smallPackage() {
        return FirmwarePackage.builder().revision(NEW_REVISION).securityVersion(0).body(new byte[512]).build()
                .toByteArray();
    }

    static Path packageFile(Path dir) throws IOException {
        Path file = dir.resolve("fw-v1.pkg");
        Files.write(file, smallPackage());
        return file;
    }

    /** Stores {@link #smallPackage()} in slot 2 of the device at {@code eid} with one Transfer FW Full. */
    static void storeInSlot2(EmbeddedDaemon d, int eid, Path dir) throws IOException {
        Cli.Run r = Cli.run("cci", "--connect", d.cci(), "--eid", Integer.toString(eid), "transfer-fw",
                "--action", "full", "--slot", "2", "--data", packageFile(dir).toString());
        if (r.exit() != 0 || !r.out().contains("\"return_code\":\"0000h\"")) {
            throw new AssertionError("Transfer FW Full failed: " + r);
        }
    }
}
