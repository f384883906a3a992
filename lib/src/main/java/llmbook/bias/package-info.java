/** Chapter 12: bias in representations — WEAT with a permutation p-value and a bootstrap interval, projection debiasing. Q48. */
package llmbook.bias;
