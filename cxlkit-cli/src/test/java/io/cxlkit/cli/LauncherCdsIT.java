package io.cxlkit.cli;

import static io.cxlkit.cli.LauncherProcess.await;
import static io.cxlkit.cli.LauncherProcess.run;
import static io.cxlkit.cli.LauncherProcess.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.LauncherProcess.Result;
import io.cxlkit.cli.LauncherProcess.Started;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data sharing archive (docs/startup.md): made silently when a jar has none
 * (after a build, or with CXLKIT_NO_BUILD=1 too), used when it fits the jar and the java binary,
 * not used when stale, never a word on stdout or stderr even when the JVM finds it unusable, made
 * once by concurrent first runs, not retried after a failure; and the JVM flags per command. Like
 * {@link LauncherStalenessIT}: a copy of bin/cxlkit in a fake repository root with the real jar,
 * run with JAVA_HOME set to a fake JDK whose bin/java logs its arguments and runs the real java.
 */
class LauncherCdsIT {

    private static final String TRAINING = "io.cxlkit.cli.CdsTraining";
    private static final String DUMP = "-Xshare:dump";

    @TempDir
    Path tmp;

    private Path realJar;
    private String version;
    private Path fake;
    private Path launcher;
    private Path jar;
    private Path javaHome;
    private Path javaLog;
    private Path archive;

    @BeforeEach
    void createFakeRootAndJdk() throws IOException {
        realJar = LauncherProcess.jar();
        version = LauncherProcess.version();
        fake = Files.createDirectories(tmp.resolve("repo")).toRealPath();
        launcher = fake.resolve("bin/cxlkit");
        Files.createDirectories(launcher.getParent());
        Files.copy(LauncherProcess.root().resolve("bin/cxlkit"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Instant old = Instant.now().minusSeconds(7200);
        for (Path p : List.of(fake.resolve("pom.xml"), fake.resolve("cxlkit-cli/pom.xml"),
                fake.resolve("cxlkit-cli/src/main/java/A.java"))) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x\n");
            Files.setLastModifiedTime(p, FileTime.from(old));
        }
        Files.setLastModifiedTime(fake.resolve("cxlkit-cli/src/main/java"), FileTime.from(old));
        Files.setLastModifiedTime(fake.resolve("cxlkit-cli/src/main"), FileTime.from(old));
        jar = fake.resolve("cxlkit-cli/target/cxlkit.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(realJar, jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));

        javaHome = fakeJdk("jdk");
        javaLog = tmp.resolve("java.log");
        Files.createFile(javaLog);
        archive = archiveOf(javaHome);
    }

    /** A JDK home whose bin/java appends its arguments to $JAVA_LOG, fails -Xshare:dump if $FAIL_DUMP, runs java. */
    private Path fakeJdk(String name) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n"
                + "echo \"$*\" >>\"$JAVA_LOG\"\n"
                + "if [ -n \"${FAIL_DUMP:-}\" ]; then case \" $* \" in *\" -Xshare:dump \"*) exit 1 ;; esac; fi\n"
                + "exec \"$REAL_JAVA\" \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    /** Where the launcher keeps the archive for {@code home}/bin/java. */
    private Path archiveOf(Path home) {
        String id = home.resolve("bin/java").toString().replaceAll("[^A-Za-z0-9._+-]", "_");
        return fake.resolve("cxlkit-cli/target/cds/" + id + ".jsa");
    }

    /** The file next to the archive that records a failed attempt. */
    private Path failedMarker() {
        return archive.resolveSibling(archive.getFileName().toString().replaceAll("\\.jsa$", ".failed"));
    }

    private Consumer<Map<String, String>> env(String... more) {
        return env -> {
            env.put("JAVA_HOME", javaHome.toString());
            env.put("JAVA_LOG", javaLog.toString());
            env.put("REAL_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (int i = 0; i < more.length; i += 2) {
                env.put(more[i], more[i + 1]);
            }
        };
    }

    private Result version(String... env) throws Exception {
        Result r = run(tmp, env(env), launcher.toString(), "--version");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
        assertThat(r.stderr()).isEmpty();
        return r;
    }

    private List<String> javaRuns() throws IOException {
        return Files.readAllLines(javaLog);
    }

    private long count(String argument) throws IOException {
        return javaRuns().stream().filter(l -> (" " + l + " ").contains(" " + argument + " ")).count();
    }

    /** The last JVM command line that ran a command (not the training or the dump). */
    private String lastCommandRun() throws IOException {
        List<String> runs = javaRuns();
        return runs.get(runs.size() - 1);
    }

    private void assertDatedLikeJar(Path file) throws IOException {
        assertThat(file).isRegularFile();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(Files.getLastModifiedTime(jar));
    }

    /** Whether the run of {@code --version} with these extra options loaded Main from an archive. */
    private boolean mainFromArchive(String... env) throws Exception {
        Path log = tmp.resolve("classes-" + System.nanoTime() + ".log");
        List<String> all = new ArrayList<>(List.of(env));
        all.add("CXLKIT_JAVA_OPTS");
        all.add("-Xlog:class+load=info:file=" + log);
        version(all.toArray(String[]::new));
        String loads = Files.readString(log);
        assertThat(loads).contains("io.cxlkit.cli.Main source: ");
        return loads.contains("io.cxlkit.cli.Main source: shared objects file");
    }

    @Test
    void madeSilentlyOnTheFirstRunThenUsed() throws Exception {
        version();
        assertDatedLikeJar(archive);
        assertThat(count(TRAINING)).isEqualTo(1);
        assertThat(count(DUMP)).isEqualTo(1);
        assertThat(fake.resolve("cxlkit-cli/target/cds")).isDirectoryNotContaining("glob:**.{classlist,tmp,stamp}");

        assertThat(mainFromArchive()).isTrue();
        assertThat(lastCommandRun()).contains("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        assertThat(count(TRAINING)).isEqualTo(1);
    }

    @Test
    void madeAfterABuildAsPartOfIt() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("fakebin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/usr/bin/env bash\n"
                + "mkdir -p cxlkit-cli/target && cp \"$REAL_JAR\" cxlkit-cli/target/cxlkit.jar\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(jar);
        Result r = run(tmp, env("PATH", bin + ":" + System.getenv("PATH"), "REAL_JAR", realJar.toString())
                .andThen(e -> e.remove("CXLKIT_NO_BUILD")), launcher.toString(), "--version");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
        assertThat(r.stderrLines()).containsExactly("cxlkit: building cxlkit (first run or sources changed)...");
        assertDatedLikeJar(archive);
        assertThat(lastCommandRun()).contains("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void aStaleArchiveIsNotUsedAndIsMadeAgain() throws Exception {
        version();
        FileTime first = Files.getLastModifiedTime(archive);
        // the jar rebuilt: another date (and it could be other classes)
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(1800)));
        // with making it again ruled out (a failed attempt for this jar), the old one is not used
        Path failed = failedMarker();
        Files.createFile(failed);
        Files.setLastModifiedTime(failed, Files.getLastModifiedTime(jar));
        assertThat(mainFromArchive()).isFalse();
        assertThat(lastCommandRun()).doesNotContain("SharedArchiveFile");
        assertThat(count(TRAINING)).isEqualTo(1);

        Files.delete(failed);
        version();
        assertThat(count(TRAINING)).isEqualTo(2);
        assertDatedLikeJar(archive);
        assertThat(Files.getLastModifiedTime(archive)).isNotEqualTo(first);
        assertThat(mainFromArchive()).isTrue();
    }

    @Test
    void anUnusableArchiveIsSkippedWithoutAWord() throws Exception {
        version();
        byte[] good = Files.readAllBytes(archive);
        FileTime date = Files.getLastModifiedTime(jar);
        List<byte[]> bad = List.of("not an archive\n".getBytes(), java.util.Arrays.copyOf(good, 4096),
                java.util.Arrays.copyOf(good, good.length / 2));
        for (byte[] content : bad) {
            Files.delete(archive);
            Files.write(archive, content);
            Files.setLastModifiedTime(archive, date);
            assertThat(mainFromArchive()).isFalse();
            assertThat(lastCommandRun()).contains("-XX:SharedArchiveFile=" + archive);
            Result r = run(tmp, env(), launcher.toString(), "list", "--state-dir", tmp.resolve("none").toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderrLines()).containsExactly("cxlkit: list: no daemon running for " + tmp.resolve("none"));
        }

        // an archive of another jar that happens to have this jar's date: the JVM checks the jar too
        Files.delete(archive);
        Files.write(archive, good);
        Files.setLastModifiedTime(archive, date);
        rewriteWithExtraEntry(jar);
        Files.setLastModifiedTime(jar, date);
        assertThat(mainFromArchive()).isFalse();
        assertThat(lastCommandRun()).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(count(TRAINING)).isEqualTo(1);
    }

    /** The jar with one more (harmless) entry: another size, the same classes. */
    private static void rewriteWithExtraEntry(Path jar) throws IOException {
        Path copy = jar.resolveSibling("copy.jar");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("extra.txt"));
            out.write("extra\n".getBytes());
            out.closeEntry();
        }
        Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aFailedAttemptIsNotRepeatedForTheSameJar() throws Exception {
        version("FAIL_DUMP", "1");
        assertThat(archive).doesNotExist();
        assertDatedLikeJar(failedMarker());
        assertThat(count(DUMP)).isEqualTo(1);
        assertThat(lastCommandRun()).doesNotContain("SharedArchiveFile");

        version("FAIL_DUMP", "1");
        version();
        assertThat(count(TRAINING)).isEqualTo(1);
        assertThat(count(DUMP)).isEqualTo(1);

        // another jar: tried again
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(1800)));
        version();
        assertThat(count(DUMP)).isEqualTo(2);
        assertDatedLikeJar(archive);
        assertThat(failedMarker()).doesNotExist();
    }

    @Test
    void concurrentFirstRunsMakeItOnce() throws Exception {
        List<Started> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(start(tmp, env(), launcher.toString(), "--version"));
        }
        for (Started s : runs) {
            Result r = await(s);
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
            assertThat(r.stderr()).isEmpty();
        }
        assertThat(count(TRAINING)).isEqualTo(1);
        assertThat(count(DUMP)).isEqualTo(1);
        assertDatedLikeJar(archive);
    }

    @Test
    void eachJavaHasItsOwnAndAnotherJavaBinaryMakesItAgain() throws Exception {
        version();
        Path otherHome = fakeJdk("other-jdk");
        javaHome = otherHome;
        version();
        assertDatedLikeJar(archiveOf(otherHome));
        assertDatedLikeJar(archive);
        assertThat(count(TRAINING)).isEqualTo(2);

        // a JDK upgraded behind the same path: its binary has another date
        Files.setLastModifiedTime(otherHome.resolve("bin/java"), FileTime.from(Instant.now().minusSeconds(60)));
        version();
        assertThat(count(TRAINING)).isEqualTo(3);
        assertThat(mainFromArchive()).isTrue();
    }

    @Test
    void cdsOffNeitherMakesNorUsesIt() throws Exception {
        version("CXLKIT_CDS", "0");
        assertThat(fake.resolve("cxlkit-cli/target/cds")).doesNotExist();
        assertThat(javaRuns()).singleElement().asString().doesNotContain("SharedArchiveFile");
    }

    @Test
    void shortCommandsGetStartupFlagsAndJavaOptsComeLast() throws Exception {
        String shortFlags = "-XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:+UseSerialGC";
        run(tmp, env("CXLKIT_CDS", "0"), launcher.toString(), "list", "--help");
        assertThat(lastCommandRun()).startsWith(shortFlags + " ");
        run(tmp, env("CXLKIT_CDS", "0"), launcher.toString(), "--version");
        assertThat(lastCommandRun()).startsWith(shortFlags + " ");
        // it hashes nothing: its CPU is better left to the daemon's upload than to C2 and G1
        run(tmp, env("CXLKIT_CDS", "0"), launcher.toString(), "update-firmware", "--help");
        assertThat(lastCommandRun()).startsWith(shortFlags + " ");
        for (String longRunning : List.of("serve", "demo", "fw")) {
            run(tmp, env("CXLKIT_CDS", "0"), launcher.toString(), longRunning, "--help");
            assertThat(lastCommandRun()).as(longRunning).doesNotContain("TieredStopAtLevel", "UseSerialGC",
                    "UsePerfData");
        }
        Result r = run(tmp, env("CXLKIT_CDS", "0", "CXLKIT_JAVA_OPTS", "-XX:+UseG1GC -XX:TieredStopAtLevel=4"),
                launcher.toString(), "list", "--help");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(lastCommandRun()).startsWith("-XX:TieredStopAtLevel=1 -XX:-UsePerfData -Dcxlkit.stdout.tty=false")
                .contains("-XX:+UseG1GC -XX:TieredStopAtLevel=4 -jar " + jar + " list --help");
    }
}
