#!/usr/bin/env python3
"""Peers of `shortcut-bench bench`: the same online SGD step in float32 in NumPy or in PyTorch (CPU).

One step: sample a batch of +-1 inputs (x2 = s with P(s = y) = (1 + lambda)/2, y = x0*x1), forward
h = relu(X W^T), f = h a, logistic-loss gradient g = -y sigmoid(-y f) / batch, backward
grad_a = h^T g, grad_W = ((g a^T) * 1[h > 0])^T X, and a plain SGD update of both layers.

Prints one JSON object { library, version, blas, kernel, rows: [{d, width, batch, threads,
stepsPerSec, stepsPerSecMin, stepsPerSecMax, gflops, othersBusy, redone}] } on stdout: `blas` is the
BLAS the library was built with or loaded, `kernel` the BLAS kernel it ran (OpenBLAS's core, from
threadpoolctl when installed, else asked of the loaded OpenBLAS directly); othersBusy is the mean share
of all cores other processes kept busy during the kept repeats (null off Linux), redone the repeats
thrown away under --max-others-busy. Exits 3 when the library is not installed.
"""
import argparse
import ctypes
import json
import os
import re
import sys
import time


def parse_sizes(text):
    sizes = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        d, width, batch = (int(v) for v in part.split(","))
        if d < 3 or width < 1 or batch < 1:
            raise ValueError(f"bad size {part!r}")
        sizes.append((d, width, batch))
    if not sizes:
        raise ValueError("no sizes")
    return sizes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", choices=("numpy", "torch"), default="numpy")
    ap.add_argument("--sizes", default="64,128,64;128,128,64", help='"d,width,batch;d,width,batch"')
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads (also set in the environment by the caller)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=0.5, help="target wall seconds of one repeat")
    ap.add_argument("--lr", type=float, default=0.5)
    ap.add_argument("--lam", type=float, default=1.0, help="spurious correlation lambda")
    ap.add_argument("--max-others-busy", type=float, default=None,
                    help="redo a repeat while other processes keep more than this share of all cores busy (Linux)")
    args = ap.parse_args()
    try:
        sizes = parse_sizes(args.sizes)
    except ValueError as err:
        print(f"peer: --sizes: {err}", file=sys.stderr)
        return 2

    # The BLAS reads its thread count when it loads: set it before importing NumPy.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, str(args.threads))
    if args.library == "torch":
        try:
            import torch
        except ImportError as err:
            print(f"peer: PyTorch is not installed for {sys.executable} ({err})", file=sys.stderr)
            return 3
        torch.set_num_threads(args.threads)
        make, version, blas = lambda d, w, b: make_torch_step(torch, d, w, b, args.lr, args.lam), torch.__version__, torch_blas(torch)
    else:
        try:
            import numpy as np
        except ImportError as err:
            print(f"peer: NumPy is not installed for {sys.executable} ({err})", file=sys.stderr)
            return 3
        make, version, blas = lambda d, w, b: make_step(np, d, w, b, args.lr, args.lam), np.__version__, numpy_blas(np)

    rows = [measure(make(d, width, batch), d, width, batch, args) for d, width, batch in sizes]
    # After the steps: the BLAS is loaded and has picked its kernel.
    print(json.dumps({"library": args.library, "version": version, "python": sys.executable,
                      "blas": blas, "kernel": blas_kernel(), "rows": rows}))
    return 0


def numpy_blas(np):
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{info.get('name', '?')} {info.get('version', '')}".strip()
    except Exception:  # older NumPy: no dict mode
        return "unknown"


def torch_blas(torch):
    """BLAS_INFO of torch's build ('generic' for Debian's system libblas.so.3, 'mkl', …) and the BLAS
    libraries it loaded."""
    match = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    built = match.group(1) if match else "unknown"
    loaded = ", ".join(loaded_blas_libraries()) or "none found"
    return f"built with {built}; loaded {loaded}"


def loaded_blas_libraries():
    """The BLAS shared libraries this process has mapped (Linux), with links resolved: e.g. Debian's
    libblas.so.3 is the generic reference BLAS or OpenBLAS depending on which package provides it."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if line.rstrip().endswith(".so") or ".so." in line}
    except OSError:
        return []
    return sorted({os.path.realpath(p) for p in paths if re.search(r"blas|mkl", os.path.basename(p), re.I)})


def blas_kernel():
    """The BLAS kernel the process runs: threadpoolctl's internal_api/architecture when installed;
    else OpenBLAS's own openblas_get_corename from the loaded library; else why it is unknown."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if infos:
            return "; ".join(f"{i.get('internal_api')} {i.get('architecture') or ''} (threadpoolctl)".replace("  ", " ")
                             for i in infos)
    for path in loaded_blas_libraries():
        # scipy-openblas (NumPy's wheels) prefixes and suffixes its symbols; Debian's OpenBLAS does not
        for symbol in ("openblas_get_corename", "scipy_openblas_get_corename64_", "scipy_openblas_get_corename"):
            try:
                get = getattr(ctypes.CDLL(path), symbol)
            except (OSError, AttributeError):
                continue
            get.restype = ctypes.c_char_p
            return f"openblas {get().decode()} (openblas_get_corename; threadpoolctl not installed)"
    return "unknown (threadpoolctl not installed, and no OpenBLAS is loaded to ask)"


def make_step(np, d, width, batch, lr, lam, seed=0):
    rng = np.random.default_rng(seed)
    f32 = np.float32
    W = (rng.standard_normal((width, d)) / np.sqrt(d)).astype(f32)
    a = np.where(rng.random(width) < 0.5, -1.0, 1.0).astype(f32) / f32(np.sqrt(width))
    p_agree = (1.0 + lam) / 2.0
    lr = f32(lr)

    def step():
        nonlocal W, a
        X = rng.integers(0, 2, size=(batch, d), dtype=np.int8)
        X = (X * 2 - 1).astype(f32)
        y = X[:, 0] * X[:, 1]
        X[:, 2] = np.where(rng.random(batch) < p_agree, y, -y)
        h = X @ W.T
        np.maximum(h, 0, out=h)
        f = h @ a
        with np.errstate(over="ignore"):
            g = -y / (f32(1) + np.exp(y * f)) / f32(batch)  # -y sigmoid(-y f) / batch
        grad_a = h.T @ g
        G = np.outer(g, a)
        G *= h > 0
        grad_W = G.T @ X
        W -= lr * grad_W
        a -= lr * grad_a

    return step


def make_torch_step(torch, d, width, batch, lr, lam, seed=0):
    """The same step as make_step in torch (float32, CPU, no autograd: the gradients written out)."""
    gen = torch.Generator().manual_seed(seed)
    W = torch.randn(width, d, generator=gen) / d ** 0.5
    a = torch.where(torch.rand(width, generator=gen) < 0.5, -1.0, 1.0) / width ** 0.5
    p_agree = (1.0 + lam) / 2.0

    def step():
        X = torch.randint(0, 2, (batch, d), generator=gen, dtype=torch.int8).mul_(2).sub_(1).float()
        y = X[:, 0] * X[:, 1]
        X[:, 2] = torch.where(torch.rand(batch, generator=gen) < p_agree, y, -y)
        h = (X @ W.T).clamp_(min=0)
        f = h @ a
        g = -y * torch.sigmoid(-y * f) / batch
        grad_a = h.T @ g
        G = torch.outer(g, a) * (h > 0)
        grad_W = G.T @ X
        W.sub_(lr * grad_W)
        a.sub_(lr * grad_a)

    return step


def measure(step, d, width, batch, args):
    def timed(n):
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        return time.perf_counter() - t0

    # Warm up, then calibrate the steps of a repeat to about args.seconds.
    timed(3)
    n = 3
    elapsed = timed(n)
    while elapsed < args.seconds / 5 and n < 10**8:
        n = max(n * 2, int(n * (args.seconds / 5) / max(elapsed, 1e-9)))
        elapsed = timed(n)
    steps = max(3, int(round(n * args.seconds / elapsed)))
    timed(steps)  # warm-up repeat, discarded
    samples, busy, redone = [], [], 0
    while len(samples) < args.repeats:
        m0, c0 = machine_cpu(), time.process_time()
        elapsed = timed(steps)
        others = others_busy(m0, machine_cpu(), time.process_time() - c0)
        limit = args.max_others_busy
        if others is not None and limit is not None and others > limit and redone < 2 * args.repeats:
            redone += 1
            continue
        samples.append(steps / elapsed)
        if others is not None:
            busy.append(others)
    samples.sort()
    mid = len(samples) // 2
    median = samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2
    return {
        "d": d,
        "width": width,
        "batch": batch,
        "threads": args.threads,
        "stepsPerSec": median,
        "stepsPerSecMin": samples[0],
        "stepsPerSecMax": samples[-1],
        "gflops": 4 * batch * d * width * median / 1e9,
        "othersBusy": sum(busy) / len(busy) if len(busy) == len(samples) else None,
        "redone": redone,
    }


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine from /proc/stat (Linux), else None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    total = sum(fields)
    idle = fields[3] + fields[4]
    return ((total - idle) / 100.0, total / 100.0)  # USER_HZ = 100


def others_busy(m0, m1, own_cpu):
    """Share of all cores other processes kept busy: machine busy time minus ours, over total."""
    if m0 is None or m1 is None or m1[1] - m0[1] < 0.02:
        return None
    return min(1.0, max(0.0, (m1[0] - m0[0] - own_cpu) / (m1[1] - m0[1])))


if __name__ == "__main__":
    sys.exit(main())
