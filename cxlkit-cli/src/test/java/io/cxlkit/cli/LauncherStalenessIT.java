package io.cxlkit.cli;

import static io.cxlkit.cli.LauncherProcess.await;
import static io.cxlkit.cli.LauncherProcess.noChange;
import static io.cxlkit.cli.LauncherProcess.run;
import static io.cxlkit.cli.LauncherProcess.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.LauncherProcess.Result;
import io.cxlkit.cli.LauncherProcess.Started;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's staleness check, on-demand build and build lock. The real tree is never
 * touched: each test copies {@code bin/cxlkit} into a fake repository root and puts a fake
 * {@code mvn} (which copies the real jar into place) first on the PATH.
 */
class LauncherStalenessIT {

    private static final String BUILDING = "cxlkit: building cxlkit (first run or sources changed)...";
    private static final String MVN_ARGS = "-q -B -DskipTests -pl cxlkit-cli -am package";

    @TempDir
    Path tmp;

    private Path realJar;
    private String version;
    private Path fake;
    private Path launcher;
    private Path jar;
    private Path bin;
    private Path mvnLog;

    @BeforeEach
    void createFakeRoot() throws IOException {
        realJar = LauncherProcess.jar();
        version = LauncherProcess.version();
        fake = Files.createDirectories(tmp.resolve("repo")).toRealPath();
        launcher = fake.resolve("bin/cxlkit");
        Files.createDirectories(launcher.getParent());
        Files.copy(LauncherProcess.root().resolve("bin/cxlkit"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(fake.resolve("pom.xml"), "<project/>\n");
        for (String module : List.of("cxlkit-cli", "cxlkit-device")) {
            Files.createDirectories(fake.resolve(module + "/src/main/java"));
            Files.writeString(fake.resolve(module + "/pom.xml"), "<project/>\n");
            Files.writeString(fake.resolve(module + "/src/main/java/A.java"), "class A {}\n");
        }
        jar = fake.resolve("cxlkit-cli/target/cxlkit.jar");
        bin = Files.createDirectories(tmp.resolve("fakebin"));
        mvnLog = Files.createFile(tmp.resolve("mvn.log"));
    }

    /** A fake mvn: logs its directory and arguments, sleeps $FAKE_MVN_SLEEP, then copies the real jar in or fails. */
    private void fakeMvn(boolean succeed) throws IOException {
        String script = "#!/usr/bin/env bash\n"
                + "echo \"$PWD $*\" >>\"$FAKE_MVN_LOG\"\n"
                + "sleep \"${FAKE_MVN_SLEEP:-0}\"\n"
                + (succeed
                    ? "mkdir -p cxlkit-cli/target && cp \"$REAL_JAR\" cxlkit-cli/target/cxlkit.jar\n"
                    : "echo '[ERROR] COMPILATION ERROR: fake failure'\nexit 1\n");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, script);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Consumer<Map<String, String>> buildEnv(String path, int mvnSleepSeconds) {
        return env -> {
            env.remove("CXLKIT_NO_BUILD");
            env.put("PATH", path);
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("FAKE_MVN_LOG", mvnLog.toString());
            env.put("FAKE_MVN_SLEEP", Integer.toString(mvnSleepSeconds));
            env.put("REAL_JAR", realJar.toString());
        };
    }

    private String pathWithFakeMvn() {
        return bin + File.pathSeparator + System.getenv("PATH");
    }

    private List<String> mvnCalls() throws IOException {
        return Files.readAllLines(mvnLog);
    }

    private void installJar(Instant mtime) throws IOException {
        Files.createDirectories(jar.getParent());
        Files.copy(realJar, jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.from(mtime));
    }

    private void setAllInputsModified(Instant mtime) throws IOException {
        try (Stream<Path> s = Files.walk(fake)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.startsWith(jar.getParent()) && !p.startsWith(fake.resolve("bin"))) {
                    Files.setLastModifiedTime(p, FileTime.from(mtime));
                }
            }
        }
    }

    private void touch(String relative, Instant mtime) throws IOException {
        Files.setLastModifiedTime(fake.resolve(relative), FileTime.from(mtime));
    }

    @Test
    void noBuildWithMissingJarIsOneLineAndExit1() throws Exception {
        Result r = run(tmp, noChange(), launcher.toString(), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderrLines()).containsExactly(
                "cxlkit: jar missing (" + jar + "); CXLKIT_NO_BUILD=1 forbids building");
    }

    @Test
    void noBuildWithStaleJarIsOneLineAndExit1() throws Exception {
        Instant now = Instant.now();
        installJar(now.minusSeconds(3600));
        setAllInputsModified(now.minusSeconds(7200));

        touch("cxlkit-device/src/main/java/A.java", now);
        Result r = run(tmp, noChange(), launcher.toString(), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderrLines()).containsExactly("cxlkit: jar older than cxlkit-device/src/main/java/A.java ("
                + jar + "); CXLKIT_NO_BUILD=1 forbids building");

        touch("cxlkit-device/src/main/java/A.java", now.minusSeconds(7200));
        touch("cxlkit-cli/pom.xml", now);
        r = run(tmp, noChange(), launcher.toString(), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderrLines()).singleElement().asString()
                .startsWith("cxlkit: jar older than cxlkit-cli/pom.xml (");

        touch("cxlkit-cli/pom.xml", now.minusSeconds(7200));
        touch("pom.xml", now);
        r = run(tmp, noChange(), launcher.toString(), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderrLines()).singleElement().asString().startsWith("cxlkit: jar older than pom.xml (");

        touch("pom.xml", now.minusSeconds(7200));
        r = run(tmp, noChange(), launcher.toString(), "--version");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
    }

    @Test
    void targetDirectoriesAreNotInputs() throws Exception {
        Instant now = Instant.now();
        installJar(now.minusSeconds(3600));
        setAllInputsModified(now.minusSeconds(7200));
        Files.createDirectories(fake.resolve("cxlkit-device/target/classes"));
        Files.writeString(fake.resolve("cxlkit-device/target/classes/A.class"), "x");
        Result r = run(tmp, noChange(), launcher.toString(), "--version");
        assertThat(r.exit()).as(r.stderr()).isZero();
    }

    @Test
    void freshJarRunsWithoutBuilding() throws Exception {
        fakeMvn(true);
        installJar(Instant.now().plusSeconds(3600));
        Result r = run(tmp, buildEnv(pathWithFakeMvn(), 0), launcher.toString(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
        assertThat(r.stderr()).isEmpty();
        assertThat(mvnCalls()).isEmpty();
    }

    @Test
    void buildsOnFirstRunThenNotAgainUntilSourcesChange() throws Exception {
        fakeMvn(true);
        Result r = run(tmp, buildEnv(pathWithFakeMvn(), 0), launcher.toString(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
        assertThat(r.stderrLines()).containsExactly(BUILDING);
        assertThat(mvnCalls()).containsExactly(fake + " " + MVN_ARGS);

        r = run(tmp, buildEnv(pathWithFakeMvn(), 0), launcher.toString(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(mvnCalls()).hasSize(1);

        touch("cxlkit-cli/src/main/java/A.java", Instant.now().plusSeconds(5));
        r = run(tmp, buildEnv(pathWithFakeMvn(), 0), launcher.toString(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stderrLines()).containsExactly(BUILDING);
        assertThat(mvnCalls()).hasSize(2);
    }

    @Test
    void failedBuildShowsMavenOutputAndExits1() throws Exception {
        fakeMvn(false);
        Result r = run(tmp, buildEnv(pathWithFakeMvn(), 0), launcher.toString(), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderrLines()).first().isEqualTo(BUILDING);
        assertThat(r.stderrLines()).contains("[ERROR] COMPILATION ERROR: fake failure");
        assertThat(r.stderrLines()).last().asString().startsWith("cxlkit: build failed");
        assertThat(jar).doesNotExist();
    }

    @Test
    void concurrentFirstRunsBuildOnceWithFlock() throws Exception {
        fakeMvn(true);
        concurrentRunsBuildOnce(pathWithFakeMvn());
        assertThat(fake.resolve(".build.lock")).isRegularFile();
    }

    @Test
    void concurrentFirstRunsBuildOnceWithoutFlock() throws Exception {
        fakeMvn(true);
        // a PATH with every command of the real PATH except flock, plus the fake mvn
        Path tools = Files.createDirectories(tmp.resolve("noflock"));
        try {
            Set<String> seen = new HashSet<>(Set.of("flock", "mvn"));
            Files.createSymbolicLink(tools.resolve("mvn"), bin.resolve("mvn"));
            for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
                Path d = Paths.get(dir);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (Stream<Path> entries = Files.list(d)) {
                    for (Path entry : (Iterable<Path>) entries::iterator) {
                        String name = entry.getFileName().toString();
                        if (Files.isExecutable(entry) && seen.add(name)) {
                            Files.createSymbolicLink(tools.resolve(name), entry);
                        }
                    }
                }
            }
            concurrentRunsBuildOnce(tools.toString());
            assertThat(fake.resolve(".build.lock")).doesNotExist();
            assertThat(fake.resolve("cxlkit-cli/target/.build.lock.d")).doesNotExist();
        } finally {
            // remove the links ourselves: @TempDir cleanup warns about each link leaving the directory
            try (Stream<Path> links = Files.list(tools)) {
                for (Path link : (Iterable<Path>) links::iterator) {
                    Files.delete(link);
                }
            }
        }
    }

    private void concurrentRunsBuildOnce(String path) throws Exception {
        List<Started> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(start(tmp, buildEnv(path, 1), launcher.toString(), "--version"));
        }
        int building = 0;
        for (Started s : runs) {
            Result r = await(s);
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
            building += r.stderrLines().contains(BUILDING) ? 1 : 0;
        }
        assertThat(mvnCalls()).hasSize(1);
        assertThat(building).isEqualTo(1);
    }
}
