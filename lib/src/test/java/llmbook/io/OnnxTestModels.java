package llmbook.io;

/** Hand-built ONNX bytes for tests in other packages. */
public final class OnnxTestModels {
    private OnnxTestModels() {}

    /** {@link OnnxTest#tinyModel()}: a MatMul, a Constant and a Softmax over two small initializers. */
    public static byte[] tiny() { return OnnxTest.tinyModel(); }
}
