package llmbook.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import llmbook.tensor.Functional;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every differentiable op against central finite differences (tolerances justified in {@link GradCheck}). */
class GradCheckOpsTest {
    private final Rng rng = new Rng(7);

    private Tensor p(int... shape) { return Tensor.randn(rng, shape).requiresGrad(true); }

    /** Values in [lo, hi): for log, sqrt, pow, reciprocal. */
    private Tensor pos(float lo, float hi, int... shape) { return Tensor.uniform(rng, lo, hi, shape).requiresGrad(true); }

    private static void ok(String what, Function<Tensor[], Tensor> f, Tensor... xs) {
        GradCheck.Report r = GradCheck.check(f, xs);
        assertTrue(r.ok(), what + ": " + r);
    }

    @Test void binaryOpsSameShape() {
        ok("add", x -> x[0].add(x[1]), p(3, 4), p(3, 4));
        ok("sub", x -> x[0].sub(x[1]), p(3, 4), p(3, 4));
        ok("mul", x -> x[0].mul(x[1]), p(3, 4), p(3, 4));
        ok("div", x -> x[0].div(x[1]), p(3, 4), pos(0.5f, 2f, 3, 4));
    }

    @Test void binaryOpsBroadcast() {
        ok("add (2,3,4)+(4,)", x -> x[0].add(x[1]), p(2, 3, 4), p(4));
        ok("mul (2,3,4)*(3,1)", x -> x[0].mul(x[1]), p(2, 3, 4), p(3, 1));
        ok("sub (2,1,4)-(3,1)", x -> x[0].sub(x[1]), p(2, 1, 4), p(3, 1));
        ok("div (2,3)/(2,1)", x -> x[0].div(x[1]), p(2, 3), pos(0.5f, 2f, 2, 1));
        ok("mul scalar-shaped", x -> x[0].mul(x[1]), p(2, 2, 3, 2), p(1));
    }

    @Test void scalarForms() {
        ok("add c", x -> x[0].add(2.5f), p(5));
        ok("sub c", x -> x[0].sub(1f), p(5));
        ok("mul c", x -> x[0].mul(-3f), p(5));
        ok("div c", x -> x[0].div(4f), p(5));
        ok("neg", x -> x[0].neg(), p(5));
    }

    @Test void unaryOps() {
        ok("exp", x -> x[0].exp(), p(2, 5));
        ok("log", x -> x[0].log(), pos(0.5f, 3f, 2, 5));
        ok("tanh", x -> x[0].tanh(), p(2, 5));
        ok("sqrt", x -> x[0].sqrt(), pos(0.5f, 3f, 2, 5));
        ok("sigmoid", x -> x[0].sigmoid(), p(2, 5));
        ok("reciprocal", x -> x[0].reciprocal(), pos(0.5f, 2f, 2, 5));
        ok("pow 2", x -> x[0].pow(2f), p(2, 5));
        ok("pow 3", x -> x[0].pow(3f), p(2, 5));
        ok("pow -0.5", x -> x[0].pow(-0.5f), pos(0.5f, 2f, 2, 5));
        // ReLU: keep inputs away from the kink at 0 (the finite difference would straddle it)
        Tensor r = Tensor.of(new float[] {-1.5f, -0.3f, 0.2f, 0.9f, 2f, -2f}, 2, 3).requiresGrad(true);
        ok("relu", x -> x[0].relu(), r);
    }

    @Test void reductions() {
        ok("sum all", x -> x[0].sum(), p(2, 3, 4));
        ok("mean all", x -> x[0].mean(), p(2, 3, 4));
        ok("sum axis 0", x -> x[0].sum(0, false), p(2, 3, 4));
        ok("sum axis 1 keep", x -> x[0].sum(1, true), p(2, 3, 4));
        ok("mean axis -1", x -> x[0].mean(-1, false), p(2, 3, 4));
        ok("max axis 1", x -> x[0].max(1, false), p(3, 5));   // random normals: ties have probability 0
        ok("max all", x -> x[0].max(), p(3, 5));
        ok("var axis -1", x -> x[0].var(-1, false), p(3, 6));
    }

    @Test void views() {
        ok("reshape", x -> x[0].reshape(6, 2).mul(x[1]), p(3, 4), p(6, 2));
        ok("transpose", x -> x[0].transpose(0, 1).mul(x[1]), p(3, 4), p(4, 3));
        ok("transpose 4-D", x -> x[0].transpose(1, 2).mul(x[1]), p(2, 3, 4, 2), p(2, 4, 3, 2));
        ok("slice", x -> x[0].slice(1, 1, 3).mul(x[1]), p(3, 4), p(3, 2));
        ok("slice of transpose", x -> x[0].t().slice(0, 1, 3).exp(), p(3, 4));
        ok("reshape of transpose (copies)", x -> x[0].t().reshape(12).mul(x[1]), p(3, 4), p(12));
        ok("split", x -> {
            var parts = x[0].split(1, 1, 3);
            return parts.get(0).mul(2f).sum().add(parts.get(1).exp().sum());
        }, p(2, 4));
        ok("concat", x -> Tensor.concat(1, x[0], x[1].exp(), x[0]).mul(x[2]), p(2, 3), p(2, 2), p(2, 8));
        ok("concat axis 0", x -> Tensor.concat(0, x[0], x[1]).tanh(), p(1, 3), p(2, 3));
        ok("indexSelect with repeats", x -> x[0].indexSelect(new int[] {2, 0, 2, 3}).mul(x[1]), p(5, 3), p(4, 3));
        ok("gather", x -> x[0].gather(new int[] {2, 0, 3}).exp(), p(3, 4));
        ok("stack", x -> Tensor.stack(1, x[0], x[1].tanh()).mul(x[2]), p(2, 3), p(2, 3), p(2, 2, 3));
        ok("unsqueeze/squeeze", x -> x[0].unsqueeze(0).mul(x[1]).squeeze(0), p(3, 4), p(1, 3, 4));
        ok("maskedFill", x -> x[0].maskedFill(Tensor.triu1(3), -5f).exp(), p(2, 3, 3));
    }

    @Test void matmuls() {
        ok("matmul 2-D", x -> x[0].matmul(x[1]), p(3, 4), p(4, 5));
        ok("matmul batched", x -> x[0].matmul(x[1]), p(2, 3, 4), p(2, 4, 2));
        ok("matmul batched 4-D", x -> x[0].matmul(x[1]), p(2, 2, 3, 4), p(2, 2, 4, 2));
        ok("matmul broadcast weight", x -> x[0].matmul(x[1]), p(2, 3, 4), p(4, 5));
        ok("matmul broadcast batch", x -> x[0].matmul(x[1]), p(3, 4), p(2, 4, 5));
        ok("matmul (1,3,.) @ (2,1,..)", x -> x[0].matmul(x[1]), p(1, 2, 3, 4), p(2, 1, 4, 2));
        ok("matmul transposed B view", x -> x[0].matmul(x[1].t()), p(3, 4), p(5, 4));
        ok("matmul transposed A view", x -> x[0].t().matmul(x[1]), p(4, 3), p(4, 5));
        ok("q @ kᵀ batched", x -> x[0].matmul(x[1].transpose(-2, -1)), p(2, 3, 4), p(2, 5, 4));
        ok("x @ x (same tensor twice)", x -> x[0].matmul(x[0]), p(3, 3));
        ok("linear", x -> LinAlg.linear(x[0], x[1], x[2]), p(2, 3, 4), p(5, 4), p(5));
        ok("linear no bias", x -> LinAlg.linear(x[0], x[1], null), p(3, 4), p(2, 4));
        ok("linear of gelu", x -> LinAlg.linearOfGelu(x[0], x[1], x[2]), p(2, 3, 4), p(5, 4), p(5));
        ok("gelu mlp", x -> LinAlg.geluMlp(x[0], x[1], x[2], x[3], x[4]), p(2, 3, 4), p(6, 4), p(6), p(4, 6), p(4));
        ok("gelu mlp no biases", x -> LinAlg.geluMlp(x[0], x[1], null, x[2], null), p(5, 4), p(3, 4), p(4, 3));
        ok("linear of gelu, a used twice", x -> LinAlg.linearOfGelu(x[0].mul(x[0]), x[1], null).add(LinAlg.linearOfGelu(x[0], x[1], null)), p(3, 4), p(2, 4));
    }

    @Test void nnOps() {
        ok("softmax", x -> x[0].softmax(), p(3, 5));
        ok("logSoftmax", x -> x[0].logSoftmax(), p(2, 2, 5));
        ok("softmax of a transposed view", x -> x[0].t().softmax(), p(4, 3));
        ok("layerNorm", x -> Functional.layerNorm(x[0], x[1], x[2], 1e-5f), p(3, 6), p(6), p(6));
        ok("layerNorm no bias", x -> Functional.layerNorm(x[0], x[1], null, 1e-5f), p(2, 3, 4), p(4));
        ok("rmsNorm", x -> Functional.rmsNorm(x[0], x[1], 1e-5f), p(3, 6), p(6));
        ok("gelu tanh", x -> x[0].gelu(), p(3, 5));
        ok("gelu erf", x -> x[0].geluErf(), p(3, 5));
        ok("silu", x -> x[0].silu(), p(3, 5));
        ok("dropout (train)", x -> Functional.dropout(x[0], 0.3f, new Rng(5), true), p(4, 5)); // same seed: same mask each call
        int[] t = {1, 4, 0, 2};
        ok("crossEntropy", x -> Functional.crossEntropy(x[0], t), p(4, 5));
        int[] t2 = {1, -100, 0, 2, -100, 3};
        ok("crossEntropy ignore", x -> Functional.crossEntropy(x[0], t2, -100), p(2, 3, 5));
        ok("embedding", x -> Functional.embedding(x[0], new int[] {3, 1, 3, 0, 2, 2}, 2, 3).tanh(), p(6, 4));
    }

    @Test void compositeExpression() {
        // a small MLP-like expression mixing everything: broadcasting, matmul, norm, activation, loss
        ok("composite", x -> {
            Tensor h = LinAlg.linear(x[0], x[1], x[2]).gelu();
            h = Functional.layerNorm(h, x[3], null, 1e-5f);
            return Functional.crossEntropy(h.matmul(x[4]), new int[] {0, 2, 1});
        }, p(3, 4), p(6, 4), p(6), p(6), p(6, 3));
    }

    @Test void gradCheckCatchesAWrongGradient() {
        // sanity of the checker itself: detaching half the expression makes the analytic gradient wrong
        Tensor x = p(3, 4);
        GradCheck.Report r = GradCheck.check(xs -> xs[0].mul(xs[0].detach()), x);
        assertFalse(r.ok(), "x·detach(x) has gradient x, not 2x: the check must fail, got " + r);
    }
}
