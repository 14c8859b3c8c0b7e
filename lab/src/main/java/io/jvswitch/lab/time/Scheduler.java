package io.jvswitch.lab.time;

import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Discrete-event scheduler over a {@link VirtualClock}: tasks run at virtual times, one at a time, on the caller's
 * thread. Before a task runs the clock is set to its time; tasks may schedule further tasks (at the current time or
 * later). Tasks due at the same time run in the order they were scheduled (FIFO), so a scenario runs the same way
 * every time.
 *
 * <pre>{@code
 * Scheduler scheduler = new Scheduler();
 * scheduler.after(Duration.ofSeconds(300), () -> System.out.println("timed out at " + scheduler.clock().instant()));
 * scheduler.runUntilIdle(); // returns at once, with the clock 300 s later
 * }</pre>
 *
 * <p>A task scheduled with {@link #every} is a <em>daemon</em>: it repeats until cancelled, and {@link #runUntilIdle}
 * stops when only daemons are left (a MAC-table sweep does not keep a scenario alive). A task that throws stops the
 * run and the exception reaches the caller of {@code run...}; the task is gone, the rest of the queue stays.
 *
 * <p>Not thread-safe: the lab is single-threaded.
 */
public final class Scheduler {
    /** Tasks {@link #runUntilIdle} runs before it decides that the scenario loops forever. */
    public static final long DEFAULT_TASK_LIMIT = 10_000_000L;

    private final VirtualClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long sequence;
    private int pendingNonDaemon;
    private long executed;
    private long taskLimit = DEFAULT_TASK_LIMIT;

    public Scheduler() {
        this(new VirtualClock());
    }

    public Scheduler(VirtualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public VirtualClock clock() {
        return clock;
    }

    /** Virtual nanoseconds since the clock's start. */
    public long now() {
        return clock.nanos();
    }

    /** Tasks run since this scheduler was made. */
    public long executed() {
        return executed;
    }

    /** Tasks waiting to run, daemons included (cancelled ones excluded). */
    public int pending() {
        int count = 0;
        for (Task task : queue) {
            if (!task.cancelled) {
                count++;
            }
        }
        return count;
    }

    /** How many tasks one {@code run...} call may run before it throws (a guard against a scenario that never ends). */
    public void taskLimit(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("task limit must be positive, not " + limit);
        }
        this.taskLimit = limit;
    }

    /**
     * Runs {@code action} at virtual time {@code nanos} (nanoseconds since the clock's start).
     *
     * @throws IllegalArgumentException when {@code nanos} is in the past
     */
    public Task at(long nanos, Runnable action) {
        if (nanos < clock.nanos()) {
            throw new IllegalArgumentException("cannot schedule at " + VirtualClock.formatSeconds(nanos)
                    + " s: virtual time is already " + VirtualClock.formatSeconds(clock.nanos()) + " s");
        }
        return enqueue(new Task(this, nanos, 0, Objects.requireNonNull(action, "action")));
    }

    /** Runs {@code action} {@code delay} from now; a zero delay runs it after every task already due now. */
    public Task after(Duration delay, Runnable action) {
        return at(Math.addExact(clock.nanos(), nonNegative(delay).toNanos()), action);
    }

    /** Runs {@code action} after every task already due now, at the current virtual time. */
    public Task soon(Runnable action) {
        return at(clock.nanos(), action);
    }

    /**
     * Runs {@code action} every {@code period}, the first time one period from now, until the returned task is
     * cancelled. A daemon: it does not keep {@link #runUntilIdle} running.
     */
    public Task every(Duration period, Runnable action) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a period must be positive, not " + period);
        }
        long periodNanos = period.toNanos();
        return enqueue(new Task(
                this,
                Math.addExact(clock.nanos(), periodNanos),
                periodNanos,
                Objects.requireNonNull(action, "action")));
    }

    private Task enqueue(Task task) {
        task.sequence = sequence++;
        queue.add(task);
        if (task.period == 0) {
            pendingNonDaemon++;
        }
        return task;
    }

    /**
     * Runs tasks in time order until none but daemons are left; the clock stays at the last task's time.
     *
     * @return the number of tasks run
     * @throws IllegalStateException when more than the task limit run (the scenario never goes idle)
     */
    public long runUntilIdle() {
        long ran = 0;
        while (pendingNonDaemon > 0) {
            runOne();
            ran = checkLimit(ran + 1);
        }
        return ran;
    }

    /**
     * Runs every task due at or before {@code nanos}, daemons included, then sets the clock to {@code nanos}.
     *
     * @return the number of tasks run
     */
    public long runUntil(long nanos) {
        if (nanos < clock.nanos()) {
            throw new IllegalArgumentException("cannot run until " + VirtualClock.formatSeconds(nanos)
                    + " s: virtual time is already " + VirtualClock.formatSeconds(clock.nanos()) + " s");
        }
        long ran = 0;
        while (true) {
            Task next = peekLive();
            if (next == null || next.time > nanos) {
                break;
            }
            runOne();
            ran = checkLimit(ran + 1);
        }
        clock.advanceTo(nanos);
        return ran;
    }

    /** {@link #runUntil} now + {@code duration}. */
    public long runFor(Duration duration) {
        return runUntil(Math.addExact(clock.nanos(), nonNegative(duration).toNanos()));
    }

    /** Runs the next task, if any (daemons too). Returns false when the queue is empty. */
    public boolean runNext() {
        if (peekLive() == null) {
            return false;
        }
        runOne();
        return true;
    }

    private long checkLimit(long ran) {
        if (ran > taskLimit) {
            throw new IllegalStateException("ran " + taskLimit + " tasks without going idle (virtual time "
                    + VirtualClock.formatSeconds(clock.nanos()) + " s): does a task reschedule itself forever?");
        }
        return ran;
    }

    private Task peekLive() {
        Task task = queue.peek();
        while (task != null && task.cancelled) {
            queue.poll();
            task = queue.peek();
        }
        return task;
    }

    private void runOne() {
        Task task = peekLive();
        queue.poll();
        if (task.period == 0) {
            pendingNonDaemon--;
            task.done = true;
        }
        clock.advanceTo(task.time);
        executed++;
        if (task.period > 0) {
            // Rescheduled before it runs, so that the action can cancel its own next run.
            task.time = Math.addExact(task.time, task.period);
            task.sequence = sequence++;
            queue.add(task);
        }
        task.action.run();
    }

    private static Duration nonNegative(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + duration);
        }
        return duration;
    }

    /** A scheduled task: when it runs, and a way to cancel it. */
    public static final class Task implements Comparable<Task> {
        private final Scheduler owner;
        private final long period;
        private final Runnable action;
        private long time;
        private long sequence;
        private boolean cancelled;
        private boolean done;

        private Task(Scheduler owner, long time, long period, Runnable action) {
            this.owner = owner;
            this.time = time;
            this.period = period;
            this.action = action;
        }

        /** When the task runs next (virtual nanoseconds). */
        public long time() {
            return time;
        }

        /** True for a repeating task made by {@link Scheduler#every}. */
        public boolean isDaemon() {
            return period > 0;
        }

        /** True once a one-shot task has run (a repeating task never is). */
        public boolean isDone() {
            return done;
        }

        public boolean isCancelled() {
            return cancelled;
        }

        /** Stops the task from running (again); does nothing when it has run or is cancelled already. */
        public void cancel() {
            if (cancelled || done) {
                return;
            }
            cancelled = true;
            if (period == 0) {
                owner.pendingNonDaemon--;
            }
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
