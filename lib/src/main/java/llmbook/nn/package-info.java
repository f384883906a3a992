/**
 * Layers: {@link llmbook.nn.Module} (named parameters, train/eval), {@link llmbook.nn.Linear},
 * {@link llmbook.nn.Embedding}, {@link llmbook.nn.LayerNorm}, {@link llmbook.nn.RMSNorm},
 * {@link llmbook.nn.Activation}, {@link llmbook.nn.Dropout}, {@link llmbook.nn.Sequential}, {@link llmbook.nn.MLP}.
 * Initialisation draws from a seeded {@link llmbook.tensor.Rng}.
 *
 * <p>Note: {@code Module} shares its simple name with {@code java.lang.Module}; with {@code import llmbook.nn.*}
 * also write {@code import llmbook.nn.Module;} before using it.
 */
package llmbook.nn;
