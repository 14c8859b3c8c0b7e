package io.jvswitch.ofproto.action;

/**
 * A {@link Learn} that fails its check because of one of its specs: says which, so that the parser can point at it.
 */
final class LearnSpecException extends IllegalArgumentException {
    private final int index;
    private final String problem;

    LearnSpecException(int index, String spec, String problem, Throwable cause) {
        super(spec + ": " + problem, cause);
        this.index = index;
        this.problem = problem;
    }

    /** Which spec, counting from 0 in {@link Learn#specs()}. */
    int index() {
        return index;
    }

    /** What is wrong with it. */
    String problem() {
        return problem;
    }
}
