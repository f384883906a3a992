/**
 * A tiny image + text model (Q44): synthetic pictures of shapes with their captions ({@link llmbook.vision.ShapeImages}),
 * a vision transformer on the library's encoder blocks ({@link llmbook.vision.VisionTransformer},
 * {@link llmbook.vision.PatchEmbedding}), and CLIP ({@link llmbook.vision.Clip}, {@link llmbook.vision.ClipLoss}):
 * image and caption encoders trained so matching pairs point the same way, which gives zero-shot classification and
 * text → image retrieval.
 */
package llmbook.vision;
