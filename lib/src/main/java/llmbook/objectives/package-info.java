/**
 * Pre-training objectives on the library's encoder and decoder (chapter 10): BERT masking ({@link
 * llmbook.objectives.Masking}, Q25), a word vocabulary with BERT's special tokens, masked-LM batches, T5 span
 * corruption for an encoder-decoder ({@link llmbook.objectives.SpanCorruption}, {@link
 * llmbook.objectives.SpanBatches}), NSP and SOP sentence pairs ({@link llmbook.objectives.SentencePairs}, Q27), the
 * small BERT with its tied MLM head and [CLS] pair head ({@link llmbook.objectives.MaskedLm}), and fill-in-the-blank
 * scores for an encoder, an encoder-decoder and a GPT on the same blanks ({@link llmbook.objectives.FillIn}, Q26).
 * Training goes through {@link llmbook.train.Trainer}.
 */
package llmbook.objectives;
