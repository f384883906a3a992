"""Writes lib/src/test/resources/safetensors/numpy-fixture.safetensors, a tiny file in the
safetensors layout made WITHOUT llmbook, so the Java reader is checked against another writer.

Dev-time only (Debian's /usr/bin/python3 with numpy); the output is committed and the Java test
(SafeTensorsInteropTest) reads it. Layout, as the Hugging Face `safetensors` library writes it:
8-byte little-endian header length N, N bytes of compact JSON padded with spaces to a multiple
of 8, then the tensors' little-endian bytes in header order.

    /usr/bin/python3 lib/src/test/python/write_safetensors_fixture.py
"""
import json
import pathlib
import struct

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "safetensors" / "numpy-fixture.safetensors"

tensors = {
    # values chosen to be exact in float32 and easy to write down in the Java test
    "wte.weight": np.arange(6, dtype="<f4").reshape(2, 3) * np.float32(0.5) - np.float32(1.0),
    "ln_f.bias": np.array([0.25, -0.0, 3.0e-38, 1e10], dtype="<f4"),
    "scalar": np.array(7.5, dtype="<f4"),            # shape [] (0-d)
}
header = {"__metadata__": {"format": "pt", "writer": "numpy " + np.__version__}}
blobs, off = [], 0
for name, t in tensors.items():
    b = t.tobytes(order="C")
    header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
    blobs.append(b)
    off += len(b)
h = json.dumps(header, separators=(",", ":")).encode("utf-8")
h += b" " * (-len(h) % 8)
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))
print(OUT, OUT.stat().st_size, "bytes")
