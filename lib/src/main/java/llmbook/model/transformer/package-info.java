/**
 * The transformer of chapter 5, built from {@code llmbook.attention} and {@code llmbook.nn}: one config record
 * ({@link llmbook.model.transformer.TransformerConfig}), a configurable pre-norm {@link llmbook.model.transformer.Block},
 * and the three architectures — encoder-only ({@link llmbook.model.transformer.Encoder}), decoder-only
 * ({@link llmbook.model.transformer.Decoder}) and encoder–decoder ({@link llmbook.model.transformer.Seq2Seq}).
 * Q4, Q7, Q8, Q10, Q11.
 */
package llmbook.model.transformer;
