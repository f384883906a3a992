package llmbook.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of an ONNX model that hold weights: the graph's initializers (named tensors) and
 * its nodes (operator, inputs, outputs, attributes), so a model written by PyTorch's exporter can be
 * run by our own code. ONNX is a protocol-buffers message ({@link Protobuf}); the fields read are
 * <pre>
 *   ModelProto      1 ir_version, 7 graph
 *   GraphProto      1 node*, 5 initializer*, 11 input*, 12 output*        (ValueInfoProto: 1 name)
 *   NodeProto       1 input*, 2 output*, 3 name, 4 op_type, 5 attribute*
 *   AttributeProto  1 name, 2 f, 3 i, 4 s, 5 t, 7 floats*, 8 ints*, 20 type
 *   TensorProto     1 dims*, 2 data_type, 4 float_data*, 5 int32_data*, 7 int64_data*, 8 name,
 *                   9 raw_data (little-endian), 14 data_location (1 = external file: refused)
 * </pre>
 * and every other field is skipped. Data stay in the file's buffer until asked for
 * ({@link Initializer#floats()}). A missing, truncated or damaged file is refused with an
 * {@link IOException} that names the file and the reason.
 */
public final class Onnx {
    private Onnx() {}

    /** ONNX's TensorProto.DataType codes that llmbook reads. */
    public static final int FLOAT = 1, INT32 = 6, INT64 = 7;

    /** A named tensor: an initializer, or the value of a Constant node. {@code dims} are row-major. */
    public record Initializer(String name, long[] dims, int dataType, Object data) {
        /** Number of values: the product of the dims (1 for a scalar). */
        public long size() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }

        /** The values as floats (FLOAT tensors only). */
        public float[] floats() {
            if (dataType != FLOAT) throw new IllegalStateException("tensor '" + name + "' has data type " + dataType + ", not FLOAT (1)");
            if (data instanceof float[] f) return f.clone();
            ByteBuffer b = (ByteBuffer) data;
            float[] out = new float[(int) size()];
            b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        /** The values as longs (INT64 or INT32 tensors only). */
        public long[] longs() {
            if (dataType != INT64 && dataType != INT32)
                throw new IllegalStateException("tensor '" + name + "' has data type " + dataType + ", not INT64 (7) or INT32 (6)");
            if (data instanceof long[] l) return l.clone();
            ByteBuffer b = ((ByteBuffer) data).duplicate().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[(int) size()];
            for (int i = 0; i < out.length; i++) out[i] = dataType == INT64 ? b.getLong() : b.getInt();
            return out;
        }

        /** The dims as ints, e.g. {@code [384, 1536]}. */
        public int[] shape() {
            return Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
        }
    }

    /** One node attribute; only the field named by {@code type} is meaningful (1 f, 2 i, 3 s, 4 t, 6 floats, 7 ints). */
    public record Attribute(String name, int type, float f, long i, String s, Initializer t, float[] floats, long[] ints) {}

    public record Node(String name, String opType, List<String> inputs, List<String> outputs, Map<String, Attribute> attributes) {}

    /** A model's graph: initializers by name (file order), nodes in file order, the graph's input and output names. */
    public record Graph(Map<String, Initializer> initializers, List<Node> nodes, List<String> inputs, List<String> outputs) {
        /** The node of that name, or an error that says so. */
        public Node node(String name) {
            for (Node n : nodes) if (n.name().equals(name)) return n;
            throw new IllegalArgumentException("the graph has no node named '" + name + "'");
        }

        /** The one initializer among the inputs of node {@code nodeName} (how exporters' generated names such as {@code onnx::MatMul_787} are found). */
        public Initializer weightOf(String nodeName) {
            Node n = node(nodeName);
            Initializer found = null;
            for (String in : n.inputs()) {
                Initializer t = initializers.get(in);
                if (t == null) continue;
                if (found != null) throw new IllegalArgumentException("node '" + nodeName + "' reads two initializers: " + found.name() + " and " + in);
                found = t;
            }
            if (found == null) throw new IllegalArgumentException("node '" + nodeName + "' reads no initializer (inputs " + n.inputs() + ")");
            return found;
        }

        /** The tensor a Constant node produces as {@code output}. */
        public Initializer constant(String output) {
            for (Node n : nodes) {
                if (n.opType().equals("Constant") && n.outputs().contains(output)) {
                    Attribute v = n.attributes().get("value");
                    if (v == null || v.t() == null) throw new IllegalArgumentException("Constant node '" + n.name() + "' has no tensor 'value'");
                    return v.t();
                }
            }
            throw new IllegalArgumentException("no Constant node outputs '" + output + "'");
        }
    }

    /** Reads a whole .onnx file. */
    public static Graph read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        return read(bytes, file.toString());
    }

    /** Reads an ONNX model from a stream (e.g. an entry of a jar); {@code source} names it in errors. */
    public static Graph read(InputStream in, String source) throws IOException {
        return read(in.readAllBytes(), source);
    }

    /** Parses the bytes of an ONNX model; {@code source} names them in errors. */
    public static Graph read(byte[] bytes, String source) throws IOException {
        try {
            Protobuf model = new Protobuf(bytes, 0, bytes.length);
            Graph graph = null;
            long irVersion = -1;
            while (model.hasNext()) {
                int f = model.next();
                if (f == 1 && model.wireType() == Protobuf.VARINT) irVersion = model.varint();
                else if (f == 7 && model.wireType() == Protobuf.LEN) {
                    if (graph != null) throw new Protobuf.FormatException("two graphs in one model");
                    graph = graph(model.message());
                } else model.skip();
            }
            if (irVersion < 1 || graph == null)
                throw new Protobuf.FormatException(irVersion < 1 ? "no ir_version: not an ONNX model" : "no graph in the model");
            return graph;
        } catch (Protobuf.FormatException e) {
            throw new IOException(source + ": not a valid ONNX file (" + e.getMessage() + ")");
        }
    }

    private static Graph graph(Protobuf g) {
        Map<String, Initializer> inits = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        while (g.hasNext()) {
            int f = g.next();
            if (g.wireType() != Protobuf.LEN) { g.skip(); continue; }
            switch (f) {
                case 1 -> nodes.add(node(g.message()));
                case 5 -> {
                    Initializer t = tensor(g.message());
                    if (inits.put(t.name(), t) != null) throw new Protobuf.FormatException("two initializers named '" + t.name() + "'");
                }
                case 11 -> inputs.add(valueName(g.message()));
                case 12 -> outputs.add(valueName(g.message()));
                default -> g.skip();
            }
        }
        return new Graph(inits, nodes, inputs, outputs);
    }

    private static String valueName(Protobuf v) {
        String name = "";
        while (v.hasNext()) {
            if (v.next() == 1 && v.wireType() == Protobuf.LEN) name = v.string();
            else v.skip();
        }
        return name;
    }

    private static Node node(Protobuf n) {
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        String name = "", op = "";
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        while (n.hasNext()) {
            int f = n.next();
            if (n.wireType() != Protobuf.LEN) { n.skip(); continue; }
            switch (f) {
                case 1 -> in.add(n.string());
                case 2 -> out.add(n.string());
                case 3 -> name = n.string();
                case 4 -> op = n.string();
                case 5 -> { Attribute a = attribute(n.message()); attrs.put(a.name(), a); }
                default -> n.skip();
            }
        }
        if (op.isEmpty()) throw new Protobuf.FormatException("node '" + name + "' has no op_type");
        return new Node(name, op, List.copyOf(in), List.copyOf(out), attrs);
    }

    private static Attribute attribute(Protobuf a) {
        String name = "", s = null;
        int type = 0;
        float f = 0;
        long i = 0;
        Initializer t = null;
        float[] floats = new float[0];
        long[][] ints = {new long[0]};
        int nInts = 0;
        while (a.hasNext()) {
            int field = a.next();
            switch (field) {
                case 1 -> name = a.string();
                case 2 -> f = a.fixed32Float();
                case 3 -> i = a.varint();
                case 4 -> s = a.string();
                case 5 -> t = tensor(a.message());
                case 7 -> floats = appendFloats(a, floats);
                case 8 -> nInts = a.varints(ints, nInts);
                case 20 -> type = (int) a.varint();
                default -> a.skip();
            }
        }
        return new Attribute(name, type, f, i, s, t, floats, Arrays.copyOf(ints[0], nInts));
    }

    /** A packed list of floats (wire type 2) or one float (wire type 5), appended. */
    private static float[] appendFloats(Protobuf p, float[] to) {
        if (p.wireType() == Protobuf.FIXED32) {
            float[] out = Arrays.copyOf(to, to.length + 1);
            out[to.length] = p.fixed32Float();
            return out;
        }
        int[] span = p.span();
        if (span[1] % 4 != 0) throw new Protobuf.FormatException("a packed float list of " + span[1] + " bytes (not a multiple of 4)");
        float[] out = Arrays.copyOf(to, to.length + span[1] / 4);
        ByteBuffer.wrap(p.buf, span[0], span[1]).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, to.length, span[1] / 4);
        return out;
    }

    private static Initializer tensor(Protobuf t) {
        String name = "";
        int dataType = 0;
        long[][] dims = {new long[0]}, longs = {new long[0]};
        int nDims = 0, nLongs = 0;
        float[] floats = new float[0];
        int[] raw = null;
        boolean external = false;
        while (t.hasNext()) {
            int f = t.next();
            switch (f) {
                case 1 -> nDims = t.varints(dims, nDims);
                case 2 -> dataType = (int) t.varint();
                case 4 -> floats = appendFloats(t, floats);
                case 5, 7 -> nLongs = t.varints(longs, nLongs);
                case 8 -> name = t.string();
                case 9 -> raw = t.span();
                case 14 -> external = t.varint() == 1;
                default -> t.skip();
            }
        }
        long[] shape = Arrays.copyOf(dims[0], nDims);
        String what = "tensor '" + name + "'";
        if (external) throw new Protobuf.FormatException(what + " keeps its data in an external file; llmbook reads single-file models only");
        long n = 1;
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) throw new Protobuf.FormatException(what + " has dimension " + d + " in " + Arrays.toString(shape));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new Protobuf.FormatException(what + " of shape " + Arrays.toString(shape) + " has more than 2^31 values");
        }
        int width = switch (dataType) {
            case FLOAT, INT32 -> 4;
            case INT64 -> 8;
            default -> 0; // other types are kept but cannot be read as numbers
        };
        Object data;
        if (raw != null) {
            if (width > 0 && (long) raw[1] != n * width)
                throw new Protobuf.FormatException(what + " of shape " + Arrays.toString(shape) + " needs " + n * width + " bytes, raw_data holds " + raw[1]);
            data = ByteBuffer.wrap(t.buf, raw[0], raw[1]).slice();
        } else if (dataType == FLOAT) {
            if (floats.length != n) throw new Protobuf.FormatException(what + " of shape " + Arrays.toString(shape) + " needs " + n + " values, float_data holds " + floats.length);
            data = floats;
        } else {
            long[] l = Arrays.copyOf(longs[0], nLongs);
            if (width > 0 && l.length != n) throw new Protobuf.FormatException(what + " of shape " + Arrays.toString(shape) + " needs " + n + " values, holds " + l.length);
            data = l;
        }
        return new Initializer(name, shape, dataType, data);
    }
}
