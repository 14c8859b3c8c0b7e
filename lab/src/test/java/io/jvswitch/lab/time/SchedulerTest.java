package io.jvswitch.lab.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private final Scheduler scheduler = new Scheduler();
    private final List<String> log = new ArrayList<>();

    private Runnable note(String what) {
        return () -> log.add(what + "@" + scheduler.now());
    }

    @Test
    void tasksRunInTimeOrderAndFifoWithinATime() {
        scheduler.at(300, note("c"));
        scheduler.at(100, note("a1"));
        scheduler.at(200, note("b"));
        scheduler.at(100, note("a2"));
        scheduler.at(100, note("a3"));

        assertThat(scheduler.runUntilIdle()).isEqualTo(5);
        assertThat(log).containsExactly("a1@100", "a2@100", "a3@100", "b@200", "c@300");
        assertThat(scheduler.now()).isEqualTo(300);
    }

    @Test
    void tasksScheduledFromTasksRunAfterThoseAlreadyDue() {
        scheduler.at(10, () -> {
            log.add("first@" + scheduler.now());
            scheduler.soon(note("scheduled-now"));
            scheduler.after(Duration.ofNanos(5), note("scheduled-later"));
        });
        scheduler.at(10, note("second"));
        scheduler.at(12, note("third"));

        scheduler.runUntilIdle();

        assertThat(log).containsExactly("first@10", "second@10", "scheduled-now@10", "third@12", "scheduled-later@15");
    }

    @Test
    void aLongTimeoutPassesInNoWallTime() {
        long wallStart = System.nanoTime();
        scheduler.after(Duration.ofSeconds(300), note("timeout"));
        scheduler.runUntilIdle();
        assertThat(log).containsExactly("timeout@300000000000");
        assertThat(scheduler.clock().instant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
        assertThat(scheduler.clock().millis())
                .isEqualTo(Instant.parse("2026-01-01T00:05:00Z").toEpochMilli());
        assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void runUntilStopsAtTheTimeAndMovesTheClockThere() {
        scheduler.at(100, note("a"));
        scheduler.at(200, note("b"));
        scheduler.at(201, note("c"));

        assertThat(scheduler.runUntil(200)).isEqualTo(2);
        assertThat(log).containsExactly("a@100", "b@200");
        assertThat(scheduler.now()).isEqualTo(200);

        assertThat(scheduler.runFor(Duration.ofNanos(1000))).isEqualTo(1);
        assertThat(scheduler.now()).isEqualTo(1200);
        assertThat(log).containsExactly("a@100", "b@200", "c@201");
    }

    @Test
    void cancelledTasksDoNotRun() {
        Scheduler.Task task = scheduler.at(100, note("cancelled"));
        scheduler.at(50, note("kept"));
        task.cancel();
        assertThat(scheduler.pending()).isEqualTo(1);
        scheduler.runUntilIdle();
        assertThat(log).containsExactly("kept@50");
        assertThat(task.isCancelled()).isTrue();
        assertThat(task.isDone()).isFalse();
    }

    @Test
    void daemonsRepeatButDoNotKeepTheSchedulerBusy() {
        Scheduler.Task sweep = scheduler.every(Duration.ofNanos(100), note("sweep"));
        scheduler.at(250, note("work"));

        scheduler.runUntilIdle();
        assertThat(log).containsExactly("sweep@100", "sweep@200", "work@250");

        scheduler.runUntil(400);
        assertThat(log).containsExactly("sweep@100", "sweep@200", "work@250", "sweep@300", "sweep@400");

        sweep.cancel();
        scheduler.runUntil(1000);
        assertThat(log).hasSize(5);
        assertThat(scheduler.runUntilIdle()).isZero();
    }

    @Test
    void aDaemonCanCancelItself() {
        Scheduler.Task[] self = new Scheduler.Task[1];
        self[0] = scheduler.every(Duration.ofNanos(10), () -> {
            log.add("tick@" + scheduler.now());
            if (scheduler.now() == 30) {
                self[0].cancel();
            }
        });
        scheduler.runUntil(100);
        assertThat(log).containsExactly("tick@10", "tick@20", "tick@30");
    }

    @Test
    void thePastIsRefused() {
        scheduler.runUntil(1_000_000_000L);
        assertThatThrownBy(() -> scheduler.at(5, note("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot schedule at 0.000000 s: virtual time is already 1.000000 s");
        assertThatThrownBy(() -> scheduler.after(Duration.ofSeconds(-1), note("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a delay cannot be negative: PT-1S");
    }

    @Test
    void aScenarioThatNeverGoesIdleIsStopped() {
        scheduler.taskLimit(1000);
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> scheduler.after(Duration.ofMillis(1), loop[0]);
        scheduler.soon(loop[0]);
        assertThatThrownBy(scheduler::runUntilIdle)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ran 1000 tasks without going idle (virtual time 1.000000 s):"
                        + " does a task reschedule itself forever?");
    }

    @Test
    void theClockCountsFromItsStart() {
        VirtualClock clock = new VirtualClock(Instant.EPOCH);
        Scheduler fromEpoch = new Scheduler(clock);
        fromEpoch.runFor(Duration.ofMillis(1500));
        assertThat(clock.epochNanos()).isEqualTo(1_500_000_000L);
        assertThat(clock.millis()).isEqualTo(1500);
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(1500));
        assertThat(VirtualClock.formatSeconds(clock.nanos())).isEqualTo("1.500000");
    }
}
