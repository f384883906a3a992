/**
 * Layers: {@link llmbook.nn.Module} (named parameters, train/eval), {@link llmbook.nn.Linear},
 * {@link llmbook.nn.Embedding}, {@link llmbook.nn.LayerNorm}, {@link llmbook.nn.RMSNorm},
 * {@link llmbook.nn.Activation}, {@link llmbook.nn.Dropout}, {@link llmbook.nn.Sequential}, {@link llmbook.nn.MLP}; output layers
 * {@link llmbook.nn.LmHead}: {@link llmbook.nn.FullSoftmax} and {@link llmbook.nn.AdaptiveSoftmax} (Q42, with
 * {@link llmbook.nn.FrequencyOrder}).
 * Initialisation draws from a seeded {@link llmbook.tensor.Rng}.
 *
 * <p>Note: {@code Module} shares its simple name with {@code java.lang.Module}; with {@code import llmbook.nn.*}
 * also write {@code import llmbook.nn.Module;} before using it.
 */
package llmbook.nn;
