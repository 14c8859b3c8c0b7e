package io.jvswitch.lab.guest;

import io.jvswitch.datapath.port.FrameSink;
import io.jvswitch.lab.time.Scheduler;
import io.jvswitch.wire.text.Dissector;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** A sink that writes down every frame (with its virtual time and who sent it) and passes it on. */
final class Recorder {
    record Frame(long time, String from, byte[] bytes) {
        List<String> dissected() {
            return Dissector.describe(bytes);
        }

        int etherType() {
            return ((bytes[12] & 0xff) << 8) | (bytes[13] & 0xff);
        }
    }

    private final Scheduler scheduler;
    final List<Frame> frames = new ArrayList<>();

    Recorder(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    FrameSink tap(String from, FrameSink next) {
        return (segment, offset, length) -> {
            frames.add(new Frame(
                    scheduler.now(), from, segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)));
            next.deliver(segment, offset, length);
        };
    }

    long count(int etherType) {
        return frames.stream().filter(f -> f.etherType() == etherType).count();
    }
}
