# OpenBLAS baseline for `./llmbook bench --numpy`: times numpy's a @ b (single precision) for each shape.
# Input lines on stdin: "m k n transA transB reps"; output lines: "m k n transA transB median_seconds min_seconds".
import sys, time

try:
    import numpy as np
except ImportError:  # ./llmbook bench --numpy installs it; a bare java run may not have it
    sys.exit("bench --numpy: /usr/bin/python3 has no numpy: sudo apt-get install python3-numpy libopenblas0-pthread")

rng = np.random.default_rng(1)
for line in sys.stdin:
    m, k, n, ta, tb, reps = (int(x) for x in line.split())
    a = rng.random((k, m) if ta else (m, k), dtype=np.float32)
    b = rng.random((n, k) if tb else (k, n), dtype=np.float32)
    A = a.T if ta else a
    B = b.T if tb else b
    c = np.empty((m, n), dtype=np.float32)
    for _ in range(max(3, reps // 3)):
        np.matmul(A, B, out=c)
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        np.matmul(A, B, out=c)
        ts.append(time.perf_counter() - t)
    ts.sort()
    print(m, k, n, ta, tb, ts[len(ts) // 2], ts[0], flush=True)
