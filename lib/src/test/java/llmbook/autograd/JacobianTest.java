package llmbook.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class JacobianTest {

    /** Q36: the Jacobian of softmax is diag(p) − ppᵀ; reverse mode, one backward per output, recovers it. */
    @Test void softmaxJacobianIsDiagPMinusPPt() {
        Tensor x = Tensor.of(new float[] {0.5f, -1f, 2f, 0f, 1.2f}).requiresGrad(true);
        float[][] j = Jacobian.of(Tensor::softmax, x);
        float[] p;
        try (var g = Tensor.noGrad()) { p = x.softmax().toArray(); }
        for (int a = 0; a < 5; a++)
            for (int b = 0; b < 5; b++)
                assertEquals((a == b ? p[a] : 0f) - p[a] * p[b], j[a][b], 1e-6, "J[" + a + "][" + b + "]");
    }

    @Test void jacobianOfALinearMapIsItsMatrix() {
        Tensor m = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor x = Tensor.of(new float[] {1, 1, 1}, 3, 1).requiresGrad(true);
        float[][] j = Jacobian.of(v -> m.matmul(v), x);
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) assertEquals(m.get(a, b), j[a][b]);
    }
}
