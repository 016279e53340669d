package io.cxlkit.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of {@code bin/cxlkit-bench soak}, parsed strictly: a soak runs for hours, so a typo
 * must stop it at once (one line, exit 2) rather than run it with a default nobody asked for.
 *
 * @param uploads   uploads to time, across all devices (the warm-up comes on top)
 * @param devices   devices in the daemon, one client thread each
 * @param imageSize bytes of each firmware package (a multiple of 128, the package's own padding)
 * @param timing    the daemon's timing preset, instant or realistic
 */
record SoakOptions(int uploads, int devices, int imageSize, String timing) {

    static final String USAGE = "usage: cxlkit-bench soak [--uploads N] [--devices M] [--image-size SIZE] "
            + "[--timing instant|realistic]";

    /** One {@code --cci-listen} serves at most this many devices (CciEndpoint.MAX_DEVICES). */
    static final int MAX_DEVICES = 247;
    /** The daemon's default {@code --fw-max-size}: larger packages would be refused with 413. */
    static final int MAX_IMAGE = 32 << 20;
    /** The 128-byte header and at least one 128-byte block of body. */
    static final int MIN_IMAGE = 256;

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,10})(|B|KiB|MiB)");

    static SoakOptions defaults() {
        return new SoakOptions(2000, 16, 64 << 10, "instant");
    }

    /** A bad option, its message the one line printed before exit 2. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message);
        }
    }

    /** The options in {@code args} (the words after {@code soak}); {@code --name=value} works too. */
    static SoakOptions parse(String[] args) throws BadOption {
        SoakOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals("--uploads") && !name.equals("--devices") && !name.equals("--image-size")
                    && !name.equals("--timing")) {
                throw new BadOption("unknown argument '" + arg + "'; " + USAGE);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new BadOption(name + " needs a value");
                }
                value = args[++i];
            }
            o = switch (name) {
                case "--uploads" -> new SoakOptions(count(name, value, 1, Integer.MAX_VALUE), o.devices, o.imageSize,
                        o.timing);
                case "--devices" -> new SoakOptions(o.uploads, count(name, value, 1, MAX_DEVICES), o.imageSize,
                        o.timing);
                case "--image-size" -> new SoakOptions(o.uploads, o.devices, size(name, value), o.timing);
                default -> new SoakOptions(o.uploads, o.devices, o.imageSize, timing(name, value));
            };
        }
        return o;
    }

    private static int count(String name, String value, int min, int max) throws BadOption {
        long n;
        try {
            n = value.matches("[0-9]{1,10}") ? Long.parseLong(value) : -1;
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < min || n > max) {
            throw new BadOption(name + " must be an integer " + min + ".." + max + ", not '" + value + "'");
        }
        return (int) n;
    }

    private static int size(String name, String value) throws BadOption {
        Matcher m = SIZE.matcher(value);
        long bytes = -1;
        if (m.matches()) {
            int shift = switch (m.group(2)) {
                case "KiB" -> 10;
                case "MiB" -> 20;
                default -> 0;
            };
            bytes = Long.parseLong(m.group(1)) << shift;
        }
        if (bytes < MIN_IMAGE || bytes > MAX_IMAGE || bytes % 128 != 0) {
            throw new BadOption(name + " must be a multiple of 128 bytes from 256 to 32MiB (N, NKiB or NMiB), not '"
                    + value + "'");
        }
        return (int) bytes;
    }

    private static String timing(String name, String value) throws BadOption {
        if (!value.equals("instant") && !value.equals("realistic")) {
            throw new BadOption(name + " must be instant or realistic, not '" + value + "'");
        }
        return value;
    }
}
