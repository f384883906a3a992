package llmbook.exercises.ch07;

/**
 * Exercise ch07.temperature_entropy — temperature, entropy, and the temperature that gives a chosen entropy. Q20.
 *
 * <p>Goal: see what temperature does to a next-token distribution. Dividing the logits by a temperature T before the
 * softmax makes the distribution sharper (T below 1) or flatter (T above 1); T = 0 means "always the most likely
 * token". The entropy (in nats) says how spread the distribution is: 0 when one token is certain, ln V when all V
 * are equally likely. Because entropy grows with T, you can also go backwards: find the T that gives a distribution
 * exactly as uncertain as you want.
 *
 * <p>Worked example: logits {@code (2, 1, 0)}. At T = 1 the probabilities are about (0.665, 0.245, 0.090) and the
 * entropy is 0.832 nats; at T = 2 they are (0.506, 0.307, 0.186), entropy 1.012; at T = 0 they are (1, 0, 0),
 * entropy 0. The temperature with entropy 1.012 is 2. Logits of (1000, 999) behave exactly like (1, 0); a token with
 * logit {@code −∞} has probability 0 at every temperature and adds nothing to the entropy.
 *
 * <p>Run {@code ./llmbook grade 7} to see your score.
 */
public final class TemperatureEntropy {
    private TemperatureEntropy() {}

    /**
     * The probabilities of the next token at temperature {@code t} (≥ 0; 0 = all mass on the most likely token, the
     * lowest id on ties). Throws IllegalArgumentException for a negative or NaN temperature.
     */
    public static double[] probabilities(float[] logits, double t) {
        throw new UnsupportedOperationException("TODO ch07.temperature_entropy: scale by the temperature, then a stable softmax; T = 0 is one-hot");
    }

    /** The entropy in nats of a probability distribution (zeros allowed). */
    public static double entropy(double[] p) {
        throw new UnsupportedOperationException("TODO ch07.temperature_entropy: the entropy, counting p = 0 as contributing nothing");
    }

    /**
     * The temperature in [0.01, 100] at which the entropy of {@code probabilities(logits, t)} equals {@code target}
     * (within 1e-6 nats). Throws IllegalArgumentException when no temperature in that range reaches the target.
     */
    public static double temperatureFor(float[] logits, double target) {
        throw new UnsupportedOperationException("TODO ch07.temperature_entropy: the entropy grows with T, so search T (e.g. by bisection)");
    }
}
