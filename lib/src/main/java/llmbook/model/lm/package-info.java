/**
 * Language models with a pluggable output layer: {@link llmbook.model.lm.TransformerLm} is the GPT trunk with
 * an untied {@link llmbook.nn.LmHead} — a full softmax or an adaptive softmax (Q42) — for comparing the two.
 */
package llmbook.model.lm;
