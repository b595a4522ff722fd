#!/usr/bin/env python3
"""PyTorch twin of a SpiderNet network: agreement with the engine, then speed side by side.

Run it through scripts/pytorch-twin, which first has the engine (`spidernet twin`) fix the network
and its weights and dump one training step. This script then

1. builds the identical network in PyTorch from the engine's architecture IR JSON
   (architecture.json, graph/ir/ArchitectureJson.java) with one interpreter over its nodes (class
   IrNet: conv, train-mode BatchNorm, ReLU, pooling, offset subsampling, sums, concatenation,
   SpiderNet's hard gates with a straight-through gradient, softmax-weighted sums of alpha groups,
   classifier heads with their loss weights), so SpiderNet genomes, DARTS supernets and derived
   DARTS networks all go through it; loads the engine's weights.bin and checks, on the engine's
   own input batch, the logits of every head, the loss, every parameter gradient, every gate and
   alpha gradient and the BN running statistics after the step:
     float64 engine reference backend  vs  PyTorch float64   (tolerance 1e-9)
     float32 engine cpu (cuda with --device cuda) backend vs PyTorch float32 (tolerance 1e-2, see FLOAT32_TOL)
2. times the same training step in PyTorch eager and, where it exists, with torch.compile, and
   the train-free metrics written the way their reference implementations are;
3. prints the agreement table, then the side-by-side table LAST, and exits 1 when an agreement
   check failed (2 for bad input).

Errors are measured per tensor, normwise: max|ours - torch| / max|torch|, so that elements that
are zero up to rounding (a gradient entry whose terms cancel) do not turn rounding noise into a
huge elementwise relative error; a tensor that is zero in exact arithmetic is measured against its
group's scale instead (see compare). Gate gradients are compared as one vector for the same reason
(each is a sum over the whole batch of dL/dy * op(x), which cancels heavily).
"""

import argparse
import json
import math
import os
import platform
import struct
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:  # the launcher checks this first; direct callers get the same one line
    print(f"pytorch_twin: error: cannot import {e.name} with {sys.executable}: "
          "install PyTorch (Debian: apt-get install python3-torch)", file=sys.stderr)
    sys.exit(2)

FLOAT64_TOL = 1e-9
# float32 unit roundoff is 6e-8, but gradients here are long chains of float32 sums: engine and
# PyTorch sum in different orders (direct convolution loops vs oneDNN/GEMMs, different BN
# reductions), and every train-mode BatchNorm backward cancels sums of size ~m*|dy| (m = N*H*W up
# to ~50k) down to values of size ~|dy|. Measured against PyTorch float64 (the "info" rows), each
# float32 implementation alone is off by up to ~2e-3 on its worst gradient tensor (engine cpu 2.0e-3,
# PyTorch float32 1.4e-3 in the smoke runs), so their difference can reach ~4e-3. 1e-2 keeps that
# margin and still fails on small semantic changes (max pool scaled by 1.001: 1.7e-1; auxiliary
# weight 0.41 instead of 0.4: 2.4e-2; BN eps 1e-4: 5e-2).
FLOAT32_TOL = 1e-2
# a tensor's error is relative to at least this fraction of its group's largest value (see compare)
GROUP_FLOOR = 1e-3

BN_MOMENTUM = 0.1
BN_EPS = 1e-5
LR, MOMENTUM, WEIGHT_DECAY, GATE_CLAMP = 0.01, 0.9, 3e-4, 0.05


class BadInput(Exception):
    """Malformed input file or argument: one line on stderr, exit 2."""


# ----------------------------------------------------------------------------- files

def read_weights(path):
    """The engine's weights.bin (io/WeightsFile.java): big-endian magic 'SPNW', int32 version 1,
    int32 count, then per entry a Java modified-UTF-8 name (uint16 length + bytes), int64 length
    and that many float64 values."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise BadInput(f"{path}: cannot read weights ({e.strerror})")
    if len(data) < 12 or data[:4] != b"SPNW":
        raise BadInput(f"{path}: not a SpiderNet weights file")
    version, count = struct.unpack_from(">ii", data, 4)
    if version != 1:
        raise BadInput(f"{path}: weights format version {version}, this twin reads 1")
    pos, out = 12, {}
    try:
        for _ in range(count):
            (n,) = struct.unpack_from(">H", data, pos)
            name = data[pos + 2:pos + 2 + n].decode("utf-8")
            pos += 2 + n
            (length,) = struct.unpack_from(">q", data, pos)
            pos += 8
            if length < 0 or pos + 8 * length > len(data):
                raise BadInput(f"{path}: entry '{name}' claims {length} values, more than the file holds")
            out[name] = np.frombuffer(data, dtype=">f8", count=length, offset=pos).astype(np.float64)
            pos += 8 * length
    except struct.error:
        raise BadInput(f"{path}: truncated weights file")
    return out


def read_dump(directory, stem):
    """A TensorDump (io/TensorDump.java): STEM.json index + STEM.bin little-endian float64."""
    index = os.path.join(directory, stem + ".json")
    try:
        with open(index) as f:
            meta = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput(f"{index}: cannot read tensor dump index ({e})")
    if meta.get("format") != "spidernet-tensor-dump" or meta.get("version") != 1:
        raise BadInput(f"{index}: not a spidernet-tensor-dump version 1")
    raw = np.fromfile(os.path.join(directory, meta["data"]), dtype="<f8")
    tensors = {}
    for t in meta["tensors"]:
        off, cnt = t["offset"], t["count"]
        if off + cnt > raw.size:
            raise BadInput(f"{index}: tensor '{t['name']}' runs past the end of {meta['data']}")
        tensors[t["name"]] = raw[off:off + cnt].reshape(t["shape"])
    return meta["meta"], tensors


def read_architecture(path):
    """The engine's architecture IR JSON (graph/ir/ArchitectureJson.java): nodes in topological
    order, each with its op and attributes, inputs, shape and gate; gates; alpha groups; heads."""
    try:
        with open(path) as f:
            a = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput(f"{path}: cannot read architecture ({e})")
    if a.get("format") != "spidernet-architecture" or a.get("version") != 1:
        raise BadInput(f"{path}: not a spidernet-architecture version 1")
    for i, n in enumerate(a["nodes"]):
        if n["op"] not in OPS:
            raise BadInput(f"{path}: nodes[{i}].op: unknown op '{n['op']}'")
        if any(j >= i for j in n["inputs"]):
            raise BadInput(f"{path}: nodes[{i}] reads a later node")
    for g in a["alpha_groups"]:
        if g["mixing"] != "softmax":
            raise BadInput(f"{path}: alpha group '{g['name']}' mixes by {g['mixing']}: the twin checks softmax "
                           "only (it does not reproduce the engine's Gumbel noise)")
    return a


def describe(arch):
    """One line on what the network is, for the table titles."""
    inp = arch["nodes"][0]
    kinds = {}
    for n in arch["nodes"]:
        kinds[n["op"]] = kinds.get(n["op"], 0) + 1
    alphas = sum(g["rows"] * len(g["choices"]) for g in arch["alpha_groups"])
    return (f"{len(arch['nodes'])} nodes ({kinds.get('conv', 0)} conv, {kinds.get('batch_norm', 0)} BN), "
            f"{len(arch['gates'])} gates, {alphas} alphas, {len(arch['heads'])} head(s), "
            f"input {inp['channels']}x{inp['height']}x{inp['width']}")


# ----------------------------------------------------------------------------- the network

OPS = ("input", "conv", "batch_norm", "relu", "pool", "subsample", "identity", "sum", "concat", "gated_sum",
       "weighted_sum", "classifier")


class IrNet(torch.nn.Module):
    """Any network of the architecture IR, built node by node from the op semantics (docs/ir.md),
    with the engine's parameter names: `<node>.weight` of a conv, `<node>.gamma/.beta` and running
    `<node>.running_mean/.running_var` of a BatchNorm, `<node>.weight/.bias` of a classifier,
    `gate/<label>` per gate, `alpha/<group>` (rows x choices) per alpha group.

    `batch_norm=False` makes every BatchNorm the identity (synflow); `pruned` gate labels are not
    computed at all, nor are the nodes of their ops (their parameters stay, unused), as the engine
    skips them.
    """

    def __init__(self, arch, batch_norm=True, pruned=()):
        super().__init__()
        self.arch = arch
        self.nodes = arch["nodes"]
        self.batch_norm = batch_norm
        self.gate_labels = [g["label"] for g in arch["gates"]]
        self.pruned = {i for i, lb in enumerate(self.gate_labels) if lb in set(pruned)}
        self.names = {}        # engine name -> registered parameter name
        self.kinds = {}        # engine name -> conv | bn_gamma | bn_beta | linear_weight | linear_bias | gate | alpha
        self.buffer_names = {}
        self.relu_hooks = None  # a list while activation codes are being collected
        self.drop_path = 0.0
        for n in self.nodes:
            op, name = n["op"], n["name"]
            if op == "conv":
                cin = self.nodes[n["inputs"][0]]["shape"][0]
                k = n["kernel"]
                self._param(name + ".weight", "conv", (n["out_channels"], cin // n["groups"], k, k))
            elif op == "batch_norm" and batch_norm:
                ch = n["shape"][0]
                self._param(name + ".gamma", "bn_gamma", (ch,), torch.ones(ch, dtype=torch.float64))
                self._param(name + ".beta", "bn_beta", (ch,))
                for s, v in (("running_mean", 0.0), ("running_var", 1.0)):
                    reg = "b%d" % len(self.buffer_names)
                    self.register_buffer(reg, torch.full((ch,), v, dtype=torch.float64))
                    self.buffer_names[name + "." + s] = reg
            elif op == "classifier":
                ch, classes = self.nodes[n["inputs"][0]]["shape"][0], n["classes"]
                bound = 1.0 / math.sqrt(ch)  # torch.nn.Linear's default, for the metrics' fresh nets
                self._param(name + ".weight", "linear_weight", (classes, ch),
                            (torch.rand(classes, ch, dtype=torch.float64) * 2 - 1) * bound)
                self._param(name + ".bias", "linear_bias", (classes,),
                            (torch.rand(classes, dtype=torch.float64) * 2 - 1) * bound)
        for lb in self.gate_labels:
            self._param("gate/" + lb, "gate", (), torch.tensor(0.01, dtype=torch.float64))
        for g in arch["alpha_groups"]:
            self._param("alpha/" + g["name"], "alpha", (g["rows"], len(g["choices"])))
        self.group_names = [g["name"] for g in arch["alpha_groups"]]

    # -- parameters, registered under safe names with the engine's names kept alongside
    def _param(self, name, kind, shape, value=None):
        reg = "p%d" % len(self.names)
        t = torch.zeros(shape, dtype=torch.float64) if value is None else value
        self.register_parameter(reg, torch.nn.Parameter(t))
        self.names[name] = reg
        self.kinds[name] = kind

    def p(self, name):
        return getattr(self, self.names[name])

    def parameters_by_name(self):
        return {n: self.p(n) for n in self.names}

    def running(self, name):
        return getattr(self, self.buffer_names[name])

    # -- initialisation as the metrics' references do it (torch.nn.init on conv weights)
    def init_like_reference(self, mode):
        for n, kind in self.kinds.items():
            if kind == "conv":
                torch.nn.init.kaiming_normal_(self.p(n), mode=mode, nonlinearity="relu")

    def load_engine_state(self, weights):
        missing = [n for n in list(self.names) + list(self.buffer_names) if n not in weights]
        if missing:
            raise BadInput(f"weights: {len(missing)} entries of the network missing, e.g. '{missing[0]}'")
        with torch.no_grad():
            for n in self.names:
                t = self.p(n)
                v = torch.from_numpy(np.asarray(weights[n])).to(t.dtype)
                if v.numel() != t.numel():
                    raise BadInput(f"weights: entry '{n}' has {v.numel()} values, expected {t.numel()}")
                t.copy_(v.reshape(t.shape))
            for n, reg in self.buffer_names.items():
                getattr(self, reg).copy_(torch.from_numpy(np.asarray(weights[n])))

    # -- the ops, each from its definition in docs/ir.md
    def gate(self, g):
        w = self.p("gate/" + self.gate_labels[g])
        # forward value exactly [w > 0]; d/dw = 1 (straight-through), so dL/dw = sum dL/dy * op(x)
        return (w > 0).to(w.dtype) + (w - w.detach())

    def relu(self, x):
        if self.relu_hooks is not None:
            self.relu_hooks.append(x.detach())
        return F.relu(x)

    @staticmethod
    def subsample(x, stride, offset):
        """x[:, :, o::s, o::s], extent ceil(H / s) whatever the offset: rows past the input are zeros."""
        y = x[:, :, offset::stride, offset::stride]
        h, w = -(-x.shape[2] // stride), -(-x.shape[3] // stride)
        return F.pad(y, (0, w - y.shape[3], 0, h - y.shape[2]))

    def node(self, n, xs, batch):
        op, name = n["op"], n["name"]
        x = xs[0] if xs else None
        if op == "conv":
            return F.conv2d(x, self.p(name + ".weight"), None, n["stride"], n["padding"], n["dilation"], n["groups"])
        if op == "batch_norm":
            if not self.batch_norm:
                return x
            return F.batch_norm(x, self.running(name + ".running_mean"), self.running(name + ".running_var"),
                                self.p(name + ".gamma"), self.p(name + ".beta"), self.training, BN_MOMENTUM, BN_EPS)
        if op == "relu":
            return self.relu(x)
        if op == "pool":
            if n["mode"] == "max":
                return F.max_pool2d(x, n["kernel"], n["stride"], n["padding"])
            # padded zeros count: always divides by kernel^2
            return F.avg_pool2d(x, n["kernel"], n["stride"], n["padding"], count_include_pad=True)
        if op == "subsample":
            return self.subsample(x, n["stride"], n["offset"])
        if op == "identity":
            return x
        if op == "sum":
            return sum(xs[1:], xs[0])
        if op == "concat":
            return torch.cat(xs, dim=1)
        if op == "gated_sum":
            total = None
            for g, y in zip(n["gates"], xs):
                if g in self.pruned:
                    continue
                y = self.gate(g) * y
                if self.drop_path > 0 and self.training and self.arch["gates"][g]["droppable"]:
                    keep = 1.0 - self.drop_path
                    y = y * ((torch.rand(batch, 1, 1, 1, device=y.device) < keep).to(y.dtype) / keep)
                total = y if total is None else total + y
            if total is None:  # every op pruned: the node sums nothing
                dt = self.p(next(iter(self.names))).dtype
                return torch.zeros((batch, *n["shape"]), dtype=dt, device=self.p(next(iter(self.names))).device)
            return total
        if op == "weighted_sum":
            m = torch.softmax(self.p("alpha/" + self.group_names[n["group"]]), dim=1)
            return sum(m[r, c] * y for r, c, y in zip(n["rows"], n["choices"], xs))
        if op == "classifier":
            return F.linear(x.mean(dim=(2, 3)), self.p(name + ".weight"), self.p(name + ".bias"))
        raise BadInput(f"node '{name}': op '{op}' has no PyTorch form here")

    def forward(self, x, heads="all"):
        """Logits of every head in IR order, or of the last head only (`heads="last"`: the other
        classifiers are not computed, so their weights get no gradient)."""
        wanted = [h["node"] for h in self.arch["heads"]]
        if heads != "all":
            wanted = wanted[-1:]
        vals = [x] + [None] * (len(self.nodes) - 1)
        for n in self.nodes[1:]:
            if n["gate"] in self.pruned or (n["op"] == "classifier" and n["id"] not in wanted):
                continue
            vals[n["id"]] = self.node(n, [vals[i] for i in n["inputs"]], x.shape[0])
        return [vals[i] for i in wanted]

    def loss(self, logits, labels, heads="all"):
        """sum over heads of loss weight x mean cross-entropy."""
        hs = self.arch["heads"] if heads == "all" else self.arch["heads"][-1:]
        return sum(h["loss_weight"] * F.cross_entropy(z, labels) for h, z in zip(hs, logits))


# ----------------------------------------------------------------------------- agreement

def normwise(ours, theirs, floor=0.0):
    """max|ours - theirs| and that divided by max(max|theirs|, floor)."""
    ours, theirs = np.asarray(ours, np.float64).ravel(), np.asarray(theirs, np.float64).ravel()
    if ours.shape != theirs.shape:
        return math.inf, math.inf
    if ours.size == 0:
        return 0.0, 0.0
    abs_err = float(np.max(np.abs(ours - theirs)))
    scale = max(float(np.max(np.abs(theirs))), floor)
    rel = abs_err / scale if scale > 0 else (0.0 if abs_err == 0 else math.inf)
    return abs_err, rel


def engine_step(meta, dump):
    """The engine's dumped step in the form twin_step returns (gate gradients as one vector)."""
    out = {k: v for k, v in dump.items() if k.startswith(("logits/", "grad/", "alpha_grad/", "running/"))}
    out["loss"] = dump["loss"]
    labels = [gt["label"] for gt in meta["gates"] if not gt["pruned"]]
    if labels:  # networks without gates (DARTS) have no gate row
        out["gate_grads"] = np.array([dump["gate_grad/" + lb][0] for lb in labels])
    return out, labels


def twin_step(arch, weights, meta, dump, dtype, device):
    """The engine's batch through the twin in `dtype`: every quantity the engine dumped."""
    pruned = [gt["label"] for gt in meta["gates"] if gt["pruned"]]
    net = IrNet(arch, pruned=pruned).to(device=device, dtype=dtype)
    net.load_engine_state(weights)
    net.train()
    x = torch.from_numpy(dump["input"]).to(device=device, dtype=dtype)
    y = torch.from_numpy(dump["labels"].astype(np.int64)).to(device)
    logits = net(x)
    loss = net.loss(logits, y)
    loss.backward()
    out = {}
    for h, z in zip(arch["heads"], logits):
        out["logits/" + arch["nodes"][h["node"]]["name"]] = z.detach().cpu().double().numpy()
    out["loss"] = np.array([loss.item()])

    def grad(t):
        return np.zeros(t.shape) if t.grad is None else t.grad.detach().cpu().double().numpy()

    params = net.parameters_by_name()
    for name, t in params.items():
        if name.startswith("alpha/"):
            out["alpha_grad/" + name[len("alpha/"):]] = grad(t)
        elif not name.startswith("gate/"):
            out["grad/" + name] = grad(t)
    labels = [gt["label"] for gt in meta["gates"] if not gt["pruned"]]
    if labels:
        out["gate_grads"] = np.array([0.0 if params["gate/" + lb].grad is None else params["gate/" + lb].grad.item()
                                      for lb in labels])
    for name in net.buffer_names:
        out["running/" + name] = net.running(name).detach().cpu().double().numpy()
    return out


GROUPS = (("logits/", "logits"), ("loss", "loss"), ("grad/", "param grads"), ("gate_grads", "gate grads"),
          ("alpha_grad/", "alpha grads"), ("running/", "BN running stats"))


def compare(ours, theirs):
    """Per group (logits, loss, parameter gradients, gate gradients, alpha gradients, running statistics): number of
    tensors, max abs error, max relative error and the tensor it occurs in. Each tensor's error is
    relative to its own largest magnitude, but never to less than GROUP_FLOOR times the largest
    magnitude in its group: some gradients are zero in exact arithmetic (the shift of a BatchNorm
    that feeds straight into another train-mode BatchNorm, e.g. stem.bn.beta) and hold only
    rounding noise, which no implementation reproduces. A tensor missing on either side is an error."""
    missing = sorted(set(ours) ^ set(theirs))
    if missing:
        raise BadInput(f"engine dump and twin disagree on what exists, e.g. '{missing[0]}' "
                       "(the architecture or weights do not describe the same network)")
    group_of = {key: next(g for prefix, g in GROUPS if key.startswith(prefix)) for key in ours}
    scale = {}
    for key, g in group_of.items():
        v = np.abs(np.asarray(theirs[key], np.float64))
        scale[g] = max(scale.get(g, 0.0), float(v.max()) if v.size else 0.0)
    groups = {}
    for key, g in group_of.items():
        a, r = normwise(ours[key], theirs[key], GROUP_FLOOR * scale[g])
        n, ma, mr, worst = groups.get(g, (0, 0.0, -1.0, ""))
        groups[g] = (n + 1, max(ma, a), max(mr, r), key if r > mr or math.isnan(r) else worst)
    return groups


# ----------------------------------------------------------------------------- timing

def rss_bytes(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def reset_peak_rss():
    """Linux resets VmHWM (peak resident set) when '5' is written to /proc/self/clear_refs. Free heap
    pages are handed back first (malloc_trim), so the baseline is what is really in use."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def input_spec(arch):
    """channels, height, width of the input node; classes of the last head."""
    n0 = arch["nodes"][0]
    return {"channels": n0["channels"], "height": n0["height"], "width": n0["width"],
            "classes": arch["nodes"][arch["heads"][-1]["node"]]["classes"]}


def make_batch(arch, batch, device, dtype, seed):
    gen = torch.Generator().manual_seed(seed)
    inp = input_spec(arch)
    x = torch.randn(batch, inp["channels"], inp["height"], inp["width"], generator=gen, dtype=dtype)
    y = torch.randint(0, inp["classes"], (batch,), generator=gen)
    return x.to(device), y.to(device)


def time_training(arch, weights, pruned, device, batch, warmup, steps, drop_path, compiled):
    """Seconds per training step: forward, weighted loss over all heads, backward, gates clamped,
    SGD momentum 0.9 / weight decay 3e-4 on every parameter and gate (what the engine's trainer
    does; alphas stay fixed, as in the weight half of a DARTS step). Peak memory: CUDA: torch.cuda.max_memory_allocated over the steps. CPU: PyTorch has no
    allocator statistics on the CPU (and tracemalloc sees only Python objects, not tensor storage),
    so it is the parameter and buffer bytes plus the growth of the process's peak resident set
    (VmHWM, reset just before the first step) over the resident set before it: activations,
    gradients, optimiser state, allocator caching and library workspaces."""
    net = IrNet(arch, pruned=pruned).to(device=device, dtype=torch.float32)
    net.load_engine_state(weights)
    net.train()
    net.drop_path = drop_path
    gates = [p for n, p in net.parameters_by_name().items() if n.startswith("gate/")]
    trained = [p for n, p in net.parameters_by_name().items() if not n.startswith("alpha/")]
    opt = torch.optim.SGD(trained, lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    x, y = make_batch(arch, batch, device, torch.float32, 11)
    static_bytes = sum(t.numel() * t.element_size() for t in list(net.parameters()) + list(net.buffers()))

    def fwd_loss(xb, yb):
        return net.loss(net(xb), yb)

    step_fn = fwd_loss
    if compiled:
        step_fn = torch.compile(fwd_loss)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = step_fn(x, y)
        loss.backward()
        with torch.no_grad():
            for gt in gates:
                gt.clamp_(-GATE_CLAMP, GATE_CLAMP)
        opt.step()
        return loss

    memory_note = ""
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    hwm_reset = device.type == "cpu" and reset_peak_rss()
    base = rss_bytes("VmRSS")
    times = []
    for s in range(warmup + steps):
        sync(device)
        t0 = time.perf_counter()
        step()
        sync(device)
        if s >= warmup:
            times.append(time.perf_counter() - t0)
    if device.type == "cuda":
        peak = torch.cuda.max_memory_allocated(device)
        memory_note = "torch.cuda.max_memory_allocated"
    elif hwm_reset and base is not None:
        peak = static_bytes + max(0, rss_bytes("VmHWM") - base)
        memory_note = "params+buffers + peak-RSS growth over the steps"
    else:
        peak = None
        memory_note = "n/a (no /proc/self/clear_refs to reset the peak resident set)"
    times.sort()
    med = times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
    return {"median_seconds": med, "images_per_second": batch / med, "peak_bytes": peak,
            "memory_note": memory_note}


def compile_unavailable_reason():
    if not hasattr(torch, "compile"):
        return f"torch {torch.__version__} has no torch.compile (added in PyTorch 2.0)"
    return None


# ----------------------------------------------------------------------------- train-free metrics,
# written the way their reference implementations are (TE-NAS for ntk and lrc, NASWOT's own code
# for naswot and naswot_v2, the zero-cost-proxies code for synflow, snip and grad_norm): a fresh
# PyTorch module per scoring, autograd per sample where the reference loops, hooks on the ReLUs.
# float32 as the references run (synflow excepted: its reference converts the model to double).
DT = torch.float32

def weight_params(net, include_bn=False, include_gates=False):
    out = []
    for n, kind in net.kinds.items():
        if kind in ("conv", "linear_weight") or (include_bn and kind == "bn_gamma") or (include_gates and kind == "gate"):
            out.append(net.p(n))
    return out


def fresh_net(archs, device):
    """A twin of the scored network, initialised like the engine's fan_in scoring nets, in
    training mode (train-mode BatchNorm, as the metrics' reference implementations score)."""
    net = IrNet(archs["main"]).to(device, DT)
    net.init_like_reference("fan_in")
    net.train()
    return net


def random_batch(arch, device, s, gen):
    """One scoring batch of standard-normal inputs of the network's input shape."""
    inp = input_spec(arch)
    return torch.randn(s["batch"], inp["channels"], inp["height"], inp["width"], generator=gen,
                       dtype=DT).to(device)


def metric_ntk(archs, device, s, gen):
    """TE-NAS get_ntk_n: per sample, logits[i].backward(ones, retain_graph=True), gradients of
    every weight concatenated into a row, then eigenvalues of J J^T; kappa = max / min."""
    net = IrNet(archs["ntk"]).to(device, DT)  # the genome at the NTK's width, lowered by the engine
    net.init_like_reference("fan_out")
    net.train()
    ws = weight_params(net, include_bn=True, include_gates=True)
    rows = []
    for _ in range(s["ntk_batches"]):
        x = random_batch(archs["ntk"], device, s, gen)
        logits = net(x, heads="last")[0]
        for i in range(x.shape[0]):
            net.zero_grad(set_to_none=True)
            logits[i:i + 1].backward(torch.ones_like(logits[i:i + 1]), retain_graph=True)
            rows.append(torch.cat([w.grad.reshape(-1) for w in ws if w.grad is not None]))
    j = torch.stack(rows)
    ev = torch.linalg.eigvalsh(j @ j.t())
    k = (ev[-1] / ev[0]).item()
    return 1e5 if math.isnan(k) else k


def relu_codes(net, x):
    net.relu_hooks = []
    with torch.no_grad():
        net(x)
    acts, net.relu_hooks = net.relu_hooks, None
    if not acts:
        return torch.zeros(x.shape[0], 0, device=x.device)
    return torch.cat([(a > 0).reshape(x.shape[0], -1).to(torch.float32) for a in acts], dim=1)


def metric_lrc(archs, device, s, gen):
    """TE-NAS linear regions: width-1 network without the stem on random 3x3 one-channel crops,
    ReLU sign codes of every batch pooled; count = sum_i 1 / #{j: code_j == code_i}, with the
    reference's matrix form (codes (1 - codes)^T + its transpose is zero exactly where equal)."""
    net = IrNet(archs["lrc"]).to(device, DT)  # width 1, no stem, 1x3x3 input, lowered by the engine
    spec = input_spec(archs["lrc"])
    net.init_like_reference("fan_in")
    net.train()
    codes = torch.cat([relu_codes(net, torch.randn(s["lrc_crops"], spec["channels"], spec["height"], spec["width"], generator=gen,
                                                   dtype=DT).to(device))
                       for _ in range(s["lrc_batches"])])
    if codes.shape[1] == 0:
        return 1.0
    diff = codes @ (1 - codes).t()
    diff = diff + diff.t()
    return float((1.0 / (diff == 0).sum(1).to(torch.float64)).sum().item())


def metric_naswot(archs, device, s, gen):
    """NASWOT v1 (jacob_cov): ONE backward pass of the summed outputs, x.grad as the Jacobian rows,
    corrcoef, eigenvalues, -sum(log(v + k) + 1 / (v + k)). (In this search space that one-pass
    Jacobian is degenerate, see metrics/JacobianCovariance.java; it is timed as the reference
    computes it.)"""
    net = fresh_net(archs, device)
    x = random_batch(archs["main"], device, s, gen)
    x.requires_grad_(True)
    y = net(x, heads="last")[0]
    y.backward(torch.ones_like(y))
    jac = x.grad.detach().reshape(x.shape[0], -1).cpu().numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.corrcoef(jac)
    if not np.all(np.isfinite(corr)):  # a constant Jacobian row: undefined, as in the engine
        return math.nan
    v, _ = np.linalg.eig(corr)
    k = 1e-5
    return float(-np.sum(np.log(v + k) + 1.0 / (v + k)).real)


def metric_naswot_v2(archs, device, s, gen):
    """NASWOT v2: binary ReLU codes of one batch, K = c c^T + (1-c)(1-c)^T, slogdet."""
    net = fresh_net(archs, device)
    x = random_batch(archs["main"], device, s, gen)
    c = relu_codes(net, x).to(torch.float64)
    kmat = c @ c.t() + (1 - c) @ (1 - c).t()
    return float(torch.linalg.slogdet(kmat)[1].item())


def metric_synflow(archs, device, s, gen):
    """synflow: BN removed, |parameters|, input of ones in float64, R = sum of logits,
    score = sum |w * dR/dw| over conv and linear weights."""
    net = IrNet(archs["main"], batch_norm=False).to(device)
    net.init_like_reference("fan_in")
    with torch.no_grad():
        for p in net.parameters():
            p.abs_()
    net.eval()
    inp = input_spec(archs["main"])
    x = torch.ones(1, inp["channels"], inp["height"], inp["width"], dtype=torch.float64, device=device)
    torch.sum(net(x, heads="last")[0]).backward()
    return float(sum((w * w.grad).abs().sum().item() for w in weight_params(net) if w.grad is not None))


def loss_grads(archs, device, s, gen):
    net = fresh_net(archs, device)
    x = random_batch(archs["main"], device, s, gen)
    y = torch.randint(0, input_spec(archs["main"])["classes"], (s["batch"],), generator=gen).to(device)
    F.cross_entropy(net(x, heads="last")[0], y).backward()
    return [w for w in weight_params(net) if w.grad is not None]


def metric_snip(archs, device, s, gen):
    return float(sum((w.grad * w).abs().sum().item() for w in loss_grads(archs, device, s, gen)))


def metric_grad_norm(archs, device, s, gen):
    return float(sum(w.grad.norm().item() for w in loss_grads(archs, device, s, gen)))


METRICS = {"ntk": metric_ntk, "ntk_centred": metric_ntk, "lrc": metric_lrc, "naswot": metric_naswot,
           "naswot_v2": metric_naswot_v2, "synflow": metric_synflow, "snip": metric_snip,
           "grad_norm": metric_grad_norm}


def time_metric(name, archs, device, settings, reps, min_seconds):
    fn = METRICS[name]
    gen = torch.Generator().manual_seed(5)
    fn(archs, device, settings, gen)  # untimed first scoring
    n, t0, elapsed = 0, time.perf_counter(), 0.0
    while n < reps or elapsed < min_seconds:
        fn(archs, device, settings, gen)
        sync(device)
        n += 1
        elapsed = time.perf_counter() - t0
    return n / elapsed


# ----------------------------------------------------------------------------- tables

def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def print_table(title, header, rows):
    print()
    print(title)
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = "| " + " | ".join(str(h).ljust(w) for h, w in zip(header, widths)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")


def main(argv=None):
    ap = argparse.ArgumentParser(description="PyTorch twin of a SpiderNet network (run via scripts/pytorch-twin).")
    ap.add_argument("--engine-dir", required=True, help="output of `spidernet twin`: architecture*.json, weights.bin, step-*.json/.bin")
    ap.add_argument("--timing-dir", help="output of `spidernet twin --time-batch`: timing.json (ours)")
    ap.add_argument("--timing-error", help="why the engine's timing is missing (shown as n/a)")
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--drop-path", type=float, default=0.0)
    ap.add_argument("--metrics", default="ntk,lrc,naswot,naswot_v2,synflow,snip,grad_norm")
    ap.add_argument("--metric-batch", type=int, default=64)
    ap.add_argument("--ntk-batches", type=int, default=1)
    ap.add_argument("--ntk-width", type=int, default=3)
    ap.add_argument("--lrc-batches", type=int, default=1)
    ap.add_argument("--lrc-crops", type=int, default=1000)
    ap.add_argument("--metric-reps", type=int, default=2)
    ap.add_argument("--metric-seconds", type=float, default=3.0)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: OMP_NUM_THREADS, else every core)")
    ap.add_argument("--no-timing", action="store_true", help="agreement checks only")
    ap.add_argument("--label", default="", help="what the network is (shown in the table titles)")
    a = ap.parse_args(argv)

    if a.threads:
        torch.set_num_threads(a.threads)
    elif "OMP_NUM_THREADS" not in os.environ:
        # some builds start with one thread (OpenMP's default here); the engine uses every core
        torch.set_num_threads(len(os.sched_getaffinity(0)))
    device = torch.device(a.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise BadInput("--device cuda: this PyTorch sees no CUDA device")
    arch = read_architecture(os.path.join(a.engine_dir, "architecture.json"))
    # the metrics' scoring variants exist for SpiderNet genomes only (the engine writes them)
    archs = {"main": arch}
    for variant in ("ntk", "lrc"):
        path = os.path.join(a.engine_dir, f"architecture-{variant}.json")
        if os.path.exists(path):
            archs[variant] = read_architecture(path)
    weights = read_weights(os.path.join(a.engine_dir, "weights.bin"))
    what = f"{a.label + ': ' if a.label else ''}{describe(arch)}"

    # ---- agreement
    found = {}
    for backend in ("reference", "cpu", "cuda"):
        if os.path.exists(os.path.join(a.engine_dir, f"step-{backend}.json")):
            found[backend] = read_dump(a.engine_dir, "step-" + backend)
    if not found:
        raise BadInput(f"{a.engine_dir}: no step-reference, step-cpu or step-cuda dump to check against")
    agree_rows, all_ok = [], True
    meta0, dump0 = next(iter(found.values()))
    truth = twin_step(arch, weights, meta0, dump0, torch.float64, device)
    for backend, dtype, tol in (("reference", torch.float64, FLOAT64_TOL), ("cpu", torch.float32, FLOAT32_TOL),
                                ("cuda", torch.float32, FLOAT32_TOL)):
        if backend not in found:
            continue
        meta, dump = found[backend]
        ours_step, _ = engine_step(meta, dump)
        theirs = truth if dtype == torch.float64 else twin_step(arch, weights, meta, dump, dtype, device)
        pair = f"engine {backend} vs torch {str(dtype)[6:]}"
        for g, (n, ma, mr, worst) in compare(ours_step, theirs).items():
            ok = mr <= tol
            all_ok &= ok
            agree_rows.append([pair, g, n, f"{ma:.3e}", f"{mr:.3e}", f"{tol:.0e}", "ok" if ok else "FAIL", worst])
        if dtype != torch.float64:
            # context for the float32 tolerance: how far each float32 computation is from float64
            for who, vals in ((f"engine {backend}", ours_step), (f"torch {str(dtype)[6:]}", theirs)):
                worst = max(compare(vals, truth).values(), key=lambda t: t[2])
                agree_rows.append([f"{who} vs torch float64", "all (info)", len(vals), f"{worst[1]:.3e}",
                                   f"{worst[2]:.3e}", "", "info", worst[3]])
    pruned = [gt["label"] for gt in meta0["gates"] if gt["pruned"]]
    closed = sum(1 for gt in meta0["gates"] if not gt["open"])
    verdict = "PASS" if all_ok else "FAIL"
    print_table(f"Agreement {verdict}: one training step, batch {meta0['batch']}, drop-path off, torch on {device.type} "
                f"({what}; {closed} of {len(meta0['gates'])} gates closed, {len(pruned)} pruned). "
                "Error = max|ours - torch| / max|torch| per tensor",
                ["pair", "quantity", "tensors", "max abs err", "max rel err", "tolerance", "result", "worst tensor"], agree_rows)

    # ---- speed
    if a.no_timing:
        return 0 if all_ok else 1
    ours = None
    if a.timing_dir and os.path.exists(os.path.join(a.timing_dir, "timing.json")):
        with open(os.path.join(a.timing_dir, "timing.json")) as f:
            ours = json.load(f)
    settings = {"batch": a.metric_batch, "ntk_batches": a.ntk_batches, "ntk_width": a.ntk_width,
                "lrc_batches": a.lrc_batches, "lrc_crops": a.lrc_crops}
    eager = time_training(arch, weights, pruned, device, a.batch, a.warmup, a.steps, a.drop_path, False)
    why_not = compile_unavailable_reason()
    compiled = None
    if why_not is None:
        try:
            compiled = time_training(arch, weights, pruned, device, a.batch, a.warmup, a.steps, a.drop_path, True)
        except Exception as e:  # a missing compiler toolchain and the like: say why, keep the table
            why_not = f"torch.compile failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    metric_rates = {}
    for name in [m for m in a.metrics.split(",") if m]:
        if name not in METRICS:
            raise BadInput(f"--metrics: unknown metric '{name}' (known: {', '.join(METRICS)})")
        if len(archs) < 3:
            raise BadInput(f"--metrics {name}: train-free metrics score SpiderNet genomes; this network has no "
                           "architecture-ntk.json / architecture-lrc.json (use --metrics '' for other spaces)")
        metric_rates[name] = time_metric(name, archs, device, settings, a.metric_reps, a.metric_seconds)

    ts = ours["train_step"] if ours else None
    our_ms = ts["median_seconds"] * 1e3 if ts else None
    our_ips = ts["images_per_second"] if ts else None
    our_mem = ts["planned_peak_bytes"] / 2 ** 20 if ts else None
    e_ms, e_ips = eager["median_seconds"] * 1e3, eager["images_per_second"]
    e_mem = eager["peak_bytes"] / 2 ** 20 if eager["peak_bytes"] is not None else None
    c_ms = compiled["median_seconds"] * 1e3 if compiled else None
    c_ips = compiled["images_per_second"] if compiled else None
    c_mem = compiled["peak_bytes"] / 2 ** 20 if compiled and compiled["peak_bytes"] is not None else None
    rows = [
        ["training step: ms/step (median)", fmt(our_ms, ".1f"), fmt(e_ms, ".1f"), ratio(our_ms, e_ms),
         fmt(c_ms, ".1f"), ratio(our_ms, c_ms)],
        ["training step: images/s", fmt(our_ips, ".1f"), fmt(e_ips, ".1f"), ratio(our_ips, e_ips),
         fmt(c_ips, ".1f"), ratio(our_ips, c_ips)],
        ["training step: peak memory, MiB", fmt(our_mem, ".1f"), fmt(e_mem, ".1f"), ratio(our_mem, e_mem),
         fmt(c_mem, ".1f"), ratio(our_mem, c_mem)],
    ]
    for name, rate in metric_rates.items():
        om = ours["metrics"].get(name) if ours else None
        orate = om["networks_per_second"] if om else None
        rows.append([f"{name}: networks scored/s", fmt(orate, ".3g"), fmt(rate, ".3g"), ratio(orate, rate), "n/a", "n/a"])
    threads = torch.get_num_threads()
    dev_name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    print()
    print(f"agreement with the engine: {verdict} (table above)")
    print()
    print(f"notes: ours = SpiderNet engine, backend {ts['backend'] if ts else 'n/a'}"
          f"{'' if ours else ' (' + (a.timing_error or 'no engine timing') + ')'}; memory ours = the execution plan's"
          f" planned peak (the backend allocates exactly that); memory PyTorch = {eager['memory_note']}.")
    print(f"       torch.compile: {why_not or 'available'}. Metric settings: batch {a.metric_batch}, ntk width "
          f"{a.ntk_width} x {a.ntk_batches} batch(es), lrc {a.lrc_batches} x {a.lrc_crops} crops; each scoring "
          f"builds and initialises a fresh network on both sides. Drop-path {a.drop_path}.")
    print_table(f"SpiderNet vs PyTorch {torch.__version__} on {device.type} ({dev_name}, {threads} torch threads), "
                f"{what}, training batch {a.batch}. Ratios are ours / PyTorch.",
                ["measure", "ours", "PyTorch eager", "ratio", "torch.compile", "ratio"], rows)
    return 0 if all_ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BadInput as e:
        print(f"pytorch_twin: error: {e}", file=sys.stderr)
        sys.exit(2)
