package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.datapath.Datapath;
import java.time.InstantSource;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class InlineDatapathThreadTest {
    @Test
    void tasksRunOneAtATimeOnTheNamedThreadAndFailuresReachTheCaller() {
        try (InlineDatapathThread thread = new InlineDatapathThread(new Datapath(InstantSource.system(), null), "dp")) {
            assertThat(thread.submit(() -> Thread.currentThread().getName()).join())
                    .isEqualTo("dp");
            assertThat(thread.submit(() -> thread.datapath().addBridge("br0").name())
                            .join())
                    .isEqualTo("br0");
            assertThatThrownBy(() -> thread.submit(() -> thread.datapath().addBridge("br0"))
                            .join())
                    .isInstanceOf(CompletionException.class)
                    .hasMessageContaining("a bridge or port named br0 already exists");
            thread.forwarding(false);
            assertThat(thread.forwarding()).isFalse();
        }
    }
}
