package io.jvswitch.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class PortCaptureTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-24T06:40:09.176995Z"));

    @Test
    void keepsCopiesOfTheFirstCountFramesWithTimeAndDirection() throws Exception {
        PortCapture capture = new PortCapture(2, CLOCK);
        byte[] frame = {1, 2, 3, 4, 5, 6};
        MemorySegment segment = MemorySegment.ofArray(frame);
        capture.frame(true, segment, 1, 3);
        frame[1] = 9; // the packet's bytes change after the frame passed: the capture kept its own copy
        capture.frame(false, segment, 0, 6);
        capture.frame(true, segment, 0, 6);

        var frames = capture.await(Duration.ofMillis(1));
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).bytes()).containsExactly(2, 3, 4);
        assertThat(frames.get(0).received()).isTrue();
        assertThat(frames.get(0).timeNanos()).isEqualTo(1_795_502_409_176_995_000L);
        assertThat(frames.get(1).bytes()).containsExactly(1, 9, 3, 4, 5, 6);
        assertThat(frames.get(1).received()).isFalse();
    }

    @Test
    void endsWhenTheNextFrameWouldPassTheByteLimitAndWhenTheTimeIsUp() throws Exception {
        PortCapture capture = new PortCapture(PortCapture.MAX_COUNT, CLOCK);
        MemorySegment big = MemorySegment.ofArray(new byte[64 * 1024]);
        for (int i = 0; i < 1100; i++) {
            capture.frame(true, big, 0, 64 * 1024);
        }
        assertThat(capture.await(Duration.ofMillis(1)))
                .as("64 MB of 64 KB frames")
                .hasSize(1024);

        PortCapture idle = new PortCapture(5, CLOCK);
        long start = System.nanoTime();
        assertThat(idle.await(Duration.ofMillis(50))).isEmpty();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
    }

    @Test
    void anEndedCaptureReturnsWhatItHasAndKeepsNoMore() throws Exception {
        PortCapture capture = new PortCapture(5, CLOCK);
        MemorySegment frame = MemorySegment.ofArray(new byte[] {1, 2});
        capture.frame(true, frame, 0, 2);
        capture.end();
        capture.frame(true, frame, 0, 2);
        assertThat(capture.await(Duration.ofHours(1))).hasSize(1);
    }
}
