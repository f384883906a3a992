package llmbook.grading;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The points a grader test is worth, and the hint a reader sees when it fails.
 *
 * <pre>{@code
 * @Test @Points(value = 2, hint = "subtract the row maximum before exp()")
 * void largeLogitsDoNotOverflow() { ... }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Points {
    /** Points earned when the test passes; nothing when it fails. */
    int value();

    /** One line pointing at the likely mistake, printed beside a failure on the scorecard. */
    String hint() default "";
}
