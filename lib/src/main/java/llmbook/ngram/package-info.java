/**
 * Chapter 12: n-gram language models — counts in primitive hash maps, interpolated modified Kneser–Ney and add-k,
 * perplexity, data sparsity — and their interpolation with a neural LM. Q49.
 */
package llmbook.ngram;
