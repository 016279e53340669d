package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevJson;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Set;

/**
 * A head start for the commands that fetch memdev JSON from the daemon and print it: while the main
 * thread builds the command line (picocli, tens of milliseconds), a second thread runs, once and on
 * canned data, the code those commands run afterwards: JSON parsing ({@link JsonTree},
 * {@link MemdevParsing}), rendering ({@link MemdevJson}, whose first string concatenations spin
 * method handles), the HTTP client's set-up and {@link ProcessHandle}. The first run of such code
 * is what costs (class initialisation, call-site linking, interpretation), so the command's own run
 * then finds it done. Nothing is printed, sent or written; an exception only ends the head start
 * (docs/startup.md).
 */
final class HeadStart {

    /** A memdev object as {@code GET /v1/memdevs/mem0} answers it, with both optional objects. */
    static final String MEMDEV = "{\"memdev\":\"mem0\",\"pmem_size\":1073741824,\"serial\":0,"
            + "\"host\":\"0000:0d:00.0\",\"firmware_version\":\"BWFW VERSION 0\","
            + "\"firmware\":{\"num_slots\":2,\"active_slot\":1,\"online_activate_capable\":true,"
            + "\"slot_1_version\":\"BWFW VERSION 0\",\"fw_update_in_progress\":false},"
            + "\"cxlkit\":{\"fw_max_size\":33554432,\"fw_verify\":\"package\",\"security_version_floor\":0,"
            + "\"faults\":[],\"upload\":{\"status\":\"idle\",\"bytes_sent\":0,\"parts_sent\":0}}}";

    /** The commands that read memdev objects from the daemon and print them. */
    private static final Set<String> COMMANDS = Set.of("list", "reset", "activate-firmware", "inject",
            "update-firmware");

    private HeadStart() {
    }

    /**
     * Starts the head start if the command line {@code args} runs one of {@link #COMMANDS}, but not
     * for help and version options, which need none of it. The thread started, or null (the CDS
     * training joins it, so that what it runs is in the archive too).
     */
    static Thread startFor(String[] args) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            return null;
        }
        for (String arg : args) {
            if (HELP_OPTIONS.contains(arg)) {
                return null;
            }
        }
        Thread t = new Thread(HeadStart::run, "cxlkit-head-start");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Options that make a command print help or its version, and nothing else. */
    private static final Set<String> HELP_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    private static void run() {
        try {
            warm();
        } catch (Exception | LinkageError e) {
            // only a head start: the command does the same again and reports what goes wrong
        }
    }

    /** Runs the code once on canned data; package-private for the test. */
    static void warm() throws IOException {
        MemdevJson.list(MemdevParsing.list(JsonTree.read("[" + MEMDEV + "]")), false, true, true);
        ProcessHandle.current().isAlive();
        // set up, never connected
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:1/v1/memdevs").toURL().openConnection();
        c.setRequestMethod("GET");
        c.setRequestProperty("Accept", "application/json");
    }
}
