package llmbook.grading;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a grader class: the exercise it grades, as {@code chNN.name}, and its title on the scorecard.
 * The starter's {@code UnsupportedOperationException} messages carry the same id.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Exercise {
    /** The exercise id, e.g. {@code ch01.softmax}. */
    String id();

    /** A short title, e.g. "Softmax and its backward pass". */
    String title();
}
