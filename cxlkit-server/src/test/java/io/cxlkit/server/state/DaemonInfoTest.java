package io.cxlkit.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** daemon.json (wire.md §2), written and read with jackson-core alone. */
class DaemonInfoTest {

    @Test
    void writesOneLineOfCompactJsonInTheDocumentedOrder() {
        DaemonInfo info = new DaemonInfo(4242, "http://127.0.0.1:2301", "tcp://127.0.0.1:2300",
                List.of("tcp://127.0.0.1:2300", "unix:/tmp/cxl \"x\".sock"), "tok_en-1");
        assertThat(info.toJson()).isEqualTo("{\"pid\":4242,\"http\":\"http://127.0.0.1:2301\","
                + "\"cci\":\"tcp://127.0.0.1:2300\",\"cci_listeners\":[\"tcp://127.0.0.1:2300\","
                + "\"unix:/tmp/cxl \\\"x\\\".sock\"],\"token\":\"tok_en-1\"}\n");
    }

    @Test
    void readsBackWhatItWroteAndSkipsFieldsItDoesNotKnow() throws IOException {
        DaemonInfo info = new DaemonInfo(7, "http://[::1]:9", "", List.of(), "t");
        assertThat(DaemonInfo.parse(info.toJson())).isEqualTo(info);
        assertThat(DaemonInfo.parse("{\"future\":{\"a\":[1,{\"b\":2}]},\"http\":\"h\",\"token\":\"t\",\"pid\":3}"))
                .isEqualTo(new DaemonInfo(3, "h", "", List.of(), "t"));
    }

    @Test
    void refusesAFileWithoutHttpOrTokenOrThatIsNotAnObject() {
        assertThatThrownBy(() -> DaemonInfo.parse("{\"http\":\"h\"}")).hasMessageContaining("lacks http or token");
        assertThatThrownBy(() -> DaemonInfo.parse("{\"token\":\"t\",\"http\":null}"))
                .hasMessageContaining("lacks http or token");
        assertThatThrownBy(() -> DaemonInfo.parse("[]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> DaemonInfo.parse("{\"http\":")).isInstanceOf(IOException.class);
    }
}
