package llmbook.exercises.ch10;

/**
 * Exercise ch10.bayes_rule — classifying with a generative model. Q29.
 *
 * <p>Goal: a generative model gives, for each class c, the log-likelihood of the input under that class,
 * ln P(x | c) (for a language model: minus the summed NLL of the text after the class token). Turn these and
 * the class priors P(c) into posteriors P(c | x) with Bayes' rule. Log-likelihoods of whole texts are in the
 * hundreds or thousands of nats below zero, so {@code Math.exp} of them is 0: stay in log space until the end.
 * {@link #classify} returns the most probable class (the lowest index on a tie).
 * Worked example: log-likelihoods (−1000, −1001) and priors (0.2, 0.8): the unnormalised log posteriors are
 * (−1000 + ln 0.2, −1001 + ln 0.8), so P(class 0 | x) = 0.2e / (0.2e + 0.8) = 0.4046 and class 1 wins
 * although class 0 explains the text better.
 * Run {@code ./llmbook grade 10} to see your score.
 */
public final class BayesRule {
    private BayesRule() {}

    /** P(c | x) for every class, summing to 1. */
    public static double[] posteriors(double[] logLikelihood, double[] prior) {
        throw new UnsupportedOperationException("TODO ch10.bayes_rule: add the log priors, normalise in log space");
    }

    public static int classify(double[] logLikelihood, double[] prior) {
        throw new UnsupportedOperationException("TODO ch10.bayes_rule: the class with the highest posterior");
    }
}
