package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.json.MemdevView.CxlkitView;
import io.cxlkit.host.json.MemdevView.FirmwareView;
import io.cxlkit.host.json.MemdevView.UploadView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The round trip over arbitrary views: for every view in the form MemdevJson can express
 * (canonical), parsing its plain rendering gives it back; for every view at all, rendering the
 * parsed rendering gives the same bytes.
 */
class MemdevParsingProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 300)
    void parsingInvertsPlainRendering(@ForAll("canonicalViews") MemdevView v) throws Exception {
        String json = MemdevParsingTest.render(v);
        assertThat(MemdevParsing.memdev(JSON.readTree(json))).isEqualTo(v);
    }

    @Property(tries = 200)
    void renderParseRenderIsStable(@ForAll("anyViews") MemdevView v) throws Exception {
        String json = MemdevParsingTest.render(v);
        assertThat(MemdevParsingTest.render(MemdevParsing.memdev(JSON.readTree(json)))).isEqualTo(json);
    }

    @Property(tries = 50)
    void listsRoundTrip(@ForAll("lists") List<MemdevView> views) throws Exception {
        String json = MemdevJson.list(views, false, true, true);
        assertThat(MemdevParsing.list(JSON.readTree(json))).isEqualTo(views);
    }

    @Provide
    Arbitrary<List<MemdevView>> lists() {
        return canonicalViews().list().ofMaxSize(4);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('/', '"', '\\', '\n', '\t', '\u0001', 'é', '☃')
                .ofMaxLength(16);
    }

    private static Arbitrary<String> hex16() {
        return Arbitraries.integers().between(0, 0xFFFF).map(UploadView::hex16);
    }

    private static Arbitrary<Instant> millis() {
        return Arbitraries.longs().between(0, 253_402_300_799_999L).map(Instant::ofEpochMilli);
    }

    private static Arbitrary<UploadView> uploads() {
        return Builders.withBuilder(() -> new Object[10])
                .use(text()).in((a, s) -> set(a, 0, s))
                .use(text().optional()).in((a, s) -> set(a, 1, s))
                .use(text().optional()).in((a, s) -> set(a, 2, s))
                .use(hex16().optional()).in((a, s) -> set(a, 3, s))
                .use(hex16().optional()).in((a, s) -> set(a, 4, s))
                .use(text().optional()).in((a, s) -> set(a, 5, s))
                .use(Arbitraries.longs().greaterOrEqual(0)).in((a, s) -> set(a, 6, s))
                .use(Arbitraries.longs().greaterOrEqual(0)).in((a, s) -> set(a, 7, s))
                .use(millis().optional()).in((a, s) -> set(a, 8, s))
                .use(millis().optional()).in((a, s) -> set(a, 9, s))
                .build(MemdevParsingProperties::upload);
    }

    @SuppressWarnings("unchecked")
    private static UploadView upload(Object[] a) {
        return new UploadView((String) a[0], (Optional<String>) a[1], (Optional<String>) a[2],
                (Optional<String>) a[3], (Optional<String>) a[4], (Optional<String>) a[5], (Long) a[6], (Long) a[7],
                (Optional<Instant>) a[8], (Optional<Instant>) a[9]);
    }

    private static Object[] set(Object[] a, int i, Object v) {
        a[i] = v;
        return a;
    }

    private static Arbitrary<CxlkitView> cxlkits() {
        Arbitrary<Optional<MemdevView.ResetView>> resets = Combinators.combine(Arbitraries.integers().between(0, 255),
                text()).as(MemdevView.ResetView::new).optional();
        return Combinators.combine(Arbitraries.longs(), text(), Arbitraries.longs(), text().list().ofMaxSize(3),
                uploads(), resets).as(CxlkitView::new);
    }

    /** Firmware views MemdevJson can express: staged in range or 0, the size only in progress. */
    private static Arbitrary<FirmwareView> canonicalFirmware() {
        return Arbitraries.integers().between(0, 7).flatMap(slots -> Combinators.combine(
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, slots),
                Arbitraries.of(true, false), text().list().ofMaxSize(4), Arbitraries.of(true, false),
                Arbitraries.longs().greaterOrEqual(0))
                .as((active, staged, online, revisions, inProgress, remaining) ->
                        new FirmwareView(slots, active, staged, online, revisions, inProgress,
                                inProgress ? remaining : 0)));
    }

    /** Any firmware view, including what MemdevJson drops (an out-of-range staged slot, a size while idle). */
    private static Arbitrary<FirmwareView> anyFirmware() {
        return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7), Arbitraries.of(true, false), text().list().ofMaxSize(4),
                Arbitraries.of(true, false), Arbitraries.longs().greaterOrEqual(0))
                .as(FirmwareView::new);
    }

    @Provide
    Arbitrary<MemdevView> canonicalViews() {
        return views(canonicalFirmware());
    }

    @Provide
    Arbitrary<MemdevView> anyViews() {
        return views(anyFirmware());
    }

    private static Arbitrary<MemdevView> views(Arbitrary<FirmwareView> firmware) {
        return Combinators.combine(Arbitraries.integers().between(0, 999).map(i -> "mem" + i),
                Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(), text(), text().optional(),
                firmware.optional(), cxlkits().optional())
                .as(MemdevView::new);
    }
}
