package llmbook.exercises.ch00;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

/**
 * HOSTILE FIXTURE for GradeTest, passed as a hidden grader: its static initialiser never returns.
 * It runs on JUnit's main thread when the first test instance is made, where the per-test time
 * limit cannot stop it, so only the grader's watchdog (kill the JVM) ends it.
 */
@Exercise(id = "ch00.hang", title = "A class that never finishes loading")
class HangTest {
    static final long SPINS;

    static {
        long n = 0;
        while (n >= 0) n = n + 1 - 1 + (System.nanoTime() > 0 ? 0 : 1);   // forever, and not folded away
        SPINS = n;
    }

    @Test
    @Points(value = 1, hint = "never passes: the class never loads")
    void neverRuns() {}

    @Test
    @Points(value = 2, hint = "never passes either")
    void neitherDoesThis() {}
}
