package io.cxlkit.cli.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cxlkit.device.config.Timing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code serve --config FILE}: per-device settings, YAML when the name ends in .yaml/.yml, JSON
 * otherwise. The schema (every key optional; sizes and durations as on the command line):
 * <pre>
 * devices:
 *   - name: mem0                 # default memN
 *     serial: 0                  # default N
 *     pci_address: 0000:0d:00.0
 *     slots: 3
 *     payload_size: 4KiB
 *     mctp_message_size: 1KiB
 *     timing: realistic          # instant | realistic | qemu
 *     fw_part_time: 2ms
 *     fw_full_time: 50ms
 *     fw_activate_time: 500ms
 *     sanitize_time: 2s          # replaces the timing preset's Sanitize duration
 *     fw_verify: package         # none | package | signed
 *     trusted_keys: [signer.pem.pub]  # replaces the --trusted-key keys for this device;
 *                                     # relative names are resolved against the config file's directory
 *     fw_max_size: 32MiB
 *     fw_part_timeout: 30s
 *     online_activate: true
 *     pmem_size: 1GiB
 *     ram_size: 0
 *     partitionable_capacity: 0  # split by Set Partition Info
 *     partition_align: 256MiB    # default 256MiB with partitionable capacity, else 0
 *     lsa_size: 128KiB           # 1280B..16MiB
 *     event_log_size: 8          # records per event log, 1..1024
 *     life_used_critical: 75     # critical alert thresholds: 41..100,
 *     over_temp_critical: 85     #   76..32767 and
 *     under_temp_critical: 0     #   -32768..4 (°C)
 *     scan_media_time: 20ms      # a fixed Scan Media duration (default: the timing preset's)
 *     poison_max_records: 256    # the poison list's record limit, 1..16777215
 *     inject_poison_limit: 0     # Injected lines allowed at once, 0..65535 (0: no limit)
 * limits:                        # the bounds on clients, for the whole daemon (flags win)
 *   max_connections: 256         # CCI connections at once, across the listeners
 *   cci_stall_timeout: 5s        # a CCI frame may pause this long before its connection closes
 *   http_header_timeout: 10s     # a request line and headers must arrive within this
 *   http_body_timeout: 10s       # a request body may pause this long between bytes
 *   http_max_connections: 512    # control API connections at once
 * </pre>
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /** What a config file holds: the devices, and the bounds on clients. */
    public record Contents(List<DeviceSettings> devices, LimitSettings limits) {
    }

    private static final Set<String> TOP_KEYS = Set.of("devices", "limits");
    private static final Set<String> LIMIT_KEYS = Set.of("max_connections", "cci_stall_timeout",
            "http_header_timeout", "http_body_timeout", "http_max_connections");
    private static final Set<String> KEYS = Set.of("name", "serial", "pci_address", "slots", "payload_size",
            "mctp_message_size", "timing", "fw_part_time", "fw_full_time", "fw_activate_time", "sanitize_time", "fw_verify",
            "fw_max_size", "fw_part_timeout", "online_activate", "pmem_size", "ram_size", "trusted_keys",
            "partitionable_capacity", "partition_align", "lsa_size", "event_log_size", "life_used_critical",
            "over_temp_critical", "under_temp_critical", "scan_media_time", "poison_max_records",
            "inject_poison_limit");

    public static Contents read(Path file) throws IOException {
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
                ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        JsonNode root;
        try {
            root = mapper.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not valid " + (mapper.getFactory() instanceof YAMLFactory
                    ? "YAML" : "JSON") + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.path("devices").isArray() || root.path("devices").isEmpty()) {
            throw new IllegalArgumentException(file + ": needs a non-empty 'devices' list");
        }
        requireKnownKeys(root, TOP_KEYS, file.toString());
        List<DeviceSettings> out = new ArrayList<>();
        int i = 0;
        for (JsonNode entry : root.get("devices")) {
            out.add(entry(file, i++, entry));
        }
        return new Contents(out, limits(file, root.get("limits")));
    }

    private static LimitSettings limits(Path file, JsonNode l) {
        String where = file + ": limits";
        if (l == null) {
            return LimitSettings.NONE;
        }
        if (!l.isObject()) {
            throw new IllegalArgumentException(where + " is not a mapping");
        }
        requireKnownKeys(l, LIMIT_KEYS, where);
        try {
            return new LimitSettings(integer(l, "max_connections"), duration(l, "cci_stall_timeout"),
                    duration(l, "http_header_timeout"), duration(l, "http_body_timeout"),
                    integer(l, "http_max_connections"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static void requireKnownKeys(JsonNode object, Set<String> known, String where) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "'");
            }
        }
    }

    /** An integer value, negative ones included. */
    private static Optional<Integer> integer(JsonNode e, String key) {
        return get(e, key, JsonNode::asInt, n -> n.isIntegralNumber() && n.canConvertToInt());
    }

    private static Optional<java.time.Duration> duration(JsonNode e, String key) {
        JsonNode n = e.get(key);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a duration such as 10s, not " + n);
        }
        return Optional.of(Units.parseDuration(n.asText()));
    }

    private static DeviceSettings entry(Path file, int index, JsonNode e) {
        String where = file + ": devices[" + index + "]";
        if (!e.isObject()) {
            throw new IllegalArgumentException(where + " is not a mapping");
        }
        requireKnownKeys(e, KEYS, where);
        try {
            return new DeviceSettings(text(e, "name"), get(e, "serial", JsonNode::asLong, JsonNode::canConvertToLong),
                    text(e, "pci_address"), get(e, "slots", JsonNode::asInt, JsonNode::canConvertToInt),
                    text(e, "payload_size").map(Units::parseSize).or(() -> num(e, "payload_size")),
                    text(e, "mctp_message_size").map(Units::parseSize).or(() -> num(e, "mctp_message_size")),
                    text(e, "timing").map(Timing.Preset::fromLabel),
                    text(e, "fw_part_time").map(Units::parseDuration),
                    text(e, "fw_full_time").map(Units::parseDuration),
                    text(e, "fw_activate_time").map(Units::parseDuration),
                    text(e, "sanitize_time").map(Units::parseDuration),
                    text(e, "fw_verify"),
                    text(e, "fw_max_size").map(Units::parseSize).or(() -> num(e, "fw_max_size")),
                    text(e, "fw_part_timeout").map(Units::parseDuration),
                    get(e, "online_activate", JsonNode::asBoolean, JsonNode::isBoolean),
                    text(e, "pmem_size").map(Units::parseSize).or(() -> num(e, "pmem_size")),
                    text(e, "ram_size").map(Units::parseSize).or(() -> num(e, "ram_size")),
                    size(e, "partitionable_capacity"), size(e, "partition_align"), size(e, "lsa_size"),
                    trustedKeys(file, e),
                    new HealthSettings(integer(e, "event_log_size"), integer(e, "life_used_critical"),
                            integer(e, "over_temp_critical"), integer(e, "under_temp_critical")),
                    new MediaSettings(duration(e, "scan_media_time"), integer(e, "poison_max_records"),
                            integer(e, "inject_poison_limit")));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ": " + ex.getMessage());
        }
    }

    /** {@code trusted_keys}: a list of key file names, read now; relative to the config file's directory. */
    private static Optional<List<PublicKey>> trustedKeys(Path file, JsonNode e) {
        JsonNode n = e.get("trusted_keys");
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("'trusted_keys' must be a list of key files");
        }
        Path base = file.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        for (JsonNode k : n) {
            if (!k.isTextual() || k.asText().isEmpty()) {
                throw new IllegalArgumentException("'trusted_keys' must be a list of key files, not " + n);
            }
            files.add(base.resolve(k.asText()));
        }
        return Optional.of(DeviceSettings.readTrustedKeys(files));
    }

    /** A size as on the command line ("1GiB") or a number of bytes. */
    private static Optional<Long> size(JsonNode e, String key) {
        return text(e, key).map(Units::parseSize).or(() -> num(e, key));
    }

    private static Optional<String> text(JsonNode e, String key) {
        JsonNode n = e.get(key);
        return n != null && n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    private static Optional<Long> num(JsonNode e, String key) {
        JsonNode n = e.get(key);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a size");
        }
        return Optional.of(n.asLong());
    }

    private static <T> Optional<T> get(JsonNode e, String key, Function<JsonNode, T> value,
                                       java.util.function.Predicate<JsonNode> ok) {
        JsonNode n = e.get(key);
        if (n == null) {
            return Optional.empty();
        }
        if (!ok.test(n)) {
            throw new IllegalArgumentException("'" + key + "' has a bad value: " + n);
        }
        return Optional.of(value.apply(n));
    }
}
