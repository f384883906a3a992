/**
 * Block-wise weight quantisation (chapter 9, Q17): {@link llmbook.quant.Nf4} (the NormalFloat-4 code built from
 * normal quantiles), {@link llmbook.quant.QuantType} (NF4, INT4, INT8) and {@link llmbook.quant.QuantizedTensor}
 * (blocks with an absmax each, double-quantised scales, bytes held, and a linear layer that multiplies without
 * decoding the whole weight, through {@link llmbook.kernels.QuantMatMul}).
 */
package llmbook.quant;
