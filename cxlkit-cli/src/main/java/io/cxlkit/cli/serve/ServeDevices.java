package io.cxlkit.cli.serve;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.server.DevicePlan;
import io.cxlkit.server.state.StateDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Which devices {@code serve} brings up on a state directory that may hold some already (README "A state
 * directory remembers its devices"):
 * <ul>
 *   <li>neither {@code --devices} nor {@code --config}: every persisted device {@code memN} comes back, mem0 up
 *   to the highest N (a gap is a new device, with a warning); mem0 alone on an empty directory;</li>
 *   <li>{@code --devices K}: mem0 .. mem(K-1), persisted or new;</li>
 *   <li>{@code --config FILE}: the entries' names, persisted or new.</li>
 * </ul>
 * A persisted device the start would leave out refuses the start, naming it and the ways out, unless
 * {@code --drop-devices} asks for its state to be deleted.
 */
final class ServeDevices implements DevicePlan {

    /** How the devices were asked for. */
    enum Source { DEFAULT, COUNT, CONFIG }

    private final Source source;
    private final Path stateDir;
    private final Path configFile;
    private final boolean drop;
    private final int maxDevices;
    private final IntFunction<DeviceConfig> device;
    private final Consumer<String> warn;

    /**
     * @param device     device {@code memN}'s configuration from the flags, for the default's persisted devices
     * @param configFile the config file, for {@link Source#CONFIG}
     */
    ServeDevices(Source source, Path stateDir, Path configFile, boolean drop, int maxDevices,
                 IntFunction<DeviceConfig> device, Consumer<String> warn) {
        this.source = source;
        this.stateDir = stateDir;
        this.configFile = configFile;
        this.drop = drop;
        this.maxDevices = maxDevices;
        this.device = device;
        this.warn = warn;
    }

    @Override
    public Choice choose(List<DeviceConfig> asked, List<String> persisted) throws DeviceStateException {
        List<DeviceConfig> serve = new ArrayList<>(asked);
        if (source == Source.DEFAULT) {
            long highest = persisted.stream().mapToLong(StateDirectory::memIndex).max().orElse(-1);
            if (highest >= maxDevices) {
                throw new DeviceStateException(stateDir + " holds mem" + highest + ", beyond the " + maxDevices
                        + " devices one daemon serves");
            }
            List<String> gaps = new ArrayList<>();
            for (int i = serve.size(); i <= highest; i++) {
                DeviceConfig d = device.apply(i);
                serve.add(d);
                if (!persisted.contains(d.name())) {
                    gaps.add(d.name());
                }
            }
            if (!gaps.isEmpty()) {
                warn.accept(stateDir + " holds no state for " + names(gaps) + " (between persisted devices): "
                        + (gaps.size() == 1 ? "it starts" : "they start") + " as new");
            }
        }
        Set<String> served = new LinkedHashSet<>();
        serve.forEach(d -> served.add(d.name()));
        List<String> leftOut = persisted.stream().filter(n -> !served.contains(n)).toList();
        if (leftOut.isEmpty() || drop) {
            return new Choice(serve, leftOut);
        }
        throw new DeviceStateException(refusal(asked.size(), persisted, leftOut));
    }

    /** One line: what the directory holds, what this start would leave out, and the ways out. */
    private String refusal(int asked, List<String> persisted, List<String> leftOut) {
        String them = leftOut.size() == 1 ? leftOut.get(0) : "them";
        String whose = leftOut.size() == 1 ? leftOut.get(0) + "'s" : "their";
        boolean allMem = leftOut.stream().allMatch(n -> StateDirectory.memIndex(n) >= 0);
        String entries = (leftOut.size() == 1 ? "an entry" : "entries") + " for " + them;
        String what;
        String keep;
        switch (source) {
            case COUNT -> {
                what = "--devices " + asked;
                long highest = leftOut.stream().mapToLong(StateDirectory::memIndex).max().orElse(-1);
                keep = allMem ? "use --devices " + (highest + 1) : "use --config with " + entries;
            }
            case CONFIG -> {
                what = configFile.toString();
                keep = "add " + entries + " to " + configFile;
            }
            default -> {
                what = "a start without --config";
                keep = "use --config with " + entries;
            }
        }
        return stateDir + " holds " + persisted.size() + (persisted.size() == 1 ? " device (" : " devices (")
                + names(persisted) + "); " + what + " would leave out " + names(leftOut) + ": " + keep
                + ", or add --drop-devices to delete " + whose + " state";
    }

    /**
     * Names for a message: in the order given, a run of four or more consecutive {@code memN} shortened to
     * {@code memA..memB}.
     */
    static String names(List<String> names) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < names.size()) {
            long first = StateDirectory.memIndex(names.get(i));
            int j = i;
            while (first >= 0 && j + 1 < names.size() && StateDirectory.memIndex(names.get(j + 1)) == first + (j + 1 - i)) {
                j++;
            }
            if (j - i >= 3) {
                parts.add(names.get(i) + ".." + names.get(j));
            } else {
                for (int k = i; k <= j; k++) {
                    parts.add(names.get(k));
                }
            }
            i = j + 1;
        }
        return String.join(", ", parts);
    }
}
