# The numpy side of the standard library's oracle test (oracle.test.ts).
#
# Reads a JSON list of cases {"op": name, "args": [...]} on stdin, where a matrix argument is
# {"m": rows} and a string is {"s": text}; writes a JSON list of results, each a number or a list
# of rows. NaN and infinities travel as the strings "NaN", "Inf" and "-Inf" (JSON has no such numbers).
#
# Each result is computed the way numpy (or Python's own math/statistics for the normal
# distribution) computes it, independently of the TypeScript code under test. Where Mathnote fixes
# a convention numpy does not share (column-wise reductions of a vector, MATLAB rounding, inclusive
# ranges), the convention is spelled out here with numpy primitives.
import decimal
import json
import math
import statistics
import sys

import numpy as np


def decode(value):
    if isinstance(value, dict) and "m" in value:
        return np.array([[decode_number(x) for x in row] for row in value["m"]], dtype=float).reshape(len(value["m"]), -1)
    if isinstance(value, dict) and "s" in value:
        return value["s"]
    return decode_number(value)


def decode_number(x):
    if x == "NaN":
        return math.nan
    if x == "Inf":
        return math.inf
    if x == "-Inf":
        return -math.inf
    return float(x)


def encode_number(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return x


def encode(result):
    if isinstance(result, np.ndarray):
        if result.ndim == 0:
            return encode_number(result)
        if result.ndim == 1:
            result = result.reshape(1, -1)
        return [[encode_number(x) for x in row] for row in result]
    return encode_number(result)


def is_vector(a):
    return a.shape[0] == 1 or a.shape[1] == 1


def reduce_columns(f, a):
    """A vector reduces to a scalar; a matrix reduces down its columns to a 1×d row."""
    if is_vector(a):
        return f(a.ravel())
    return np.array([[f(a[:, j]) for j in range(a.shape[1])]])


def map_columns(f, a):
    """A vector maps to a vector of the same shape; a matrix maps column by column."""
    if is_vector(a):
        return f(a.ravel()).reshape(a.shape)
    return np.column_stack([f(a[:, j]) for j in range(a.shape[1])])


def mode(v):
    values, counts = np.unique(v, return_counts=True)
    return values[np.argmax(counts)]


def elementwise(f, *args):
    return np.vectorize(f, otypes=[float])(*np.broadcast_arrays(*args))


def normcdf(x, mu=0.0, sigma=1.0):
    return elementwise(lambda x, m, s: 0.5 * math.erfc(-((x - m) / s) / math.sqrt(2)), x, mu, sigma)


def norminv(p, mu=0.0, sigma=1.0):
    return elementwise(lambda p, m, s: statistics.NormalDist(m, s).inv_cdf(p), p, mu, sigma)


# Binomial and Poisson probabilities in 60-digit decimal arithmetic from exact integers, so the
# oracle is exact to double precision even for n = 10^12, where logarithms of factorials cancel.
DECIMAL = decimal.Context(prec=60, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def binopdf(k, n, p):
    def one(k, n, p):
        if k != int(k) or k < 0 or k > n:
            return 0.0
        k, n = int(k), int(n)
        d = decimal.Decimal(p)
        value = DECIMAL.multiply(DECIMAL.multiply(decimal.Decimal(math.comb(n, k)), DECIMAL.power(d, k)), DECIMAL.power(DECIMAL.subtract(1, d), n - k))
        return float(value)

    return elementwise(one, k, n, p)


def binocdf(k, n, p):
    return elementwise(lambda k, n, p: sum(binopdf(i, n, p) for i in range(0, int(math.floor(min(k, n))) + 1)), k, n, p)


def poisspdf(k, lam):
    def one(k, lam):
        if k != int(k) or k < 0:
            return 0.0
        k = int(k)
        d = decimal.Decimal(lam)
        value = DECIMAL.divide(DECIMAL.multiply(DECIMAL.power(d, k), DECIMAL.exp(-d)), decimal.Decimal(math.factorial(k)))
        return float(value)

    return elementwise(one, k, lam)


def poisscdf(k, lam):
    return elementwise(lambda k, lam: sum(poisspdf(i, lam) for i in range(0, int(math.floor(k)) + 1)), k, lam)


def softmax_vector(v):
    e = np.exp(v - np.max(v))
    return e / np.sum(e)


def quantile(x, p):
    scalar = np.ndim(p) == 0
    p = np.asarray(p, dtype=float).reshape(1, -1) if scalar else p
    if is_vector(x) and scalar:
        return np.quantile(x.ravel(), p[0, 0], method="linear")
    if is_vector(x):
        q = np.quantile(x.ravel(), p.ravel(), method="linear")
        return q.reshape(p.shape)
    return np.quantile(x, p.ravel(), axis=0, method="linear").reshape(p.size, x.shape[1])


def cov(a, b=None):
    if b is not None:
        return np.cov(a.ravel(), b.ravel())[0, 1]
    if is_vector(a):
        return np.var(a.ravel(), ddof=1)
    return np.cov(a, rowvar=False)


def corr(a, b=None):
    if b is not None:
        return np.corrcoef(a.ravel(), b.ravel())[0, 1]
    return np.corrcoef(a, rowvar=False)


def matlab_range(a, b, step=1.0):
    n = int(math.floor((b - a) / step + 1e-10)) + 1
    return (a + step * np.arange(max(n, 0))).reshape(1, -1)


def zscore(a, option="population"):
    ddof = 1 if option == "sample" else 0
    return map_columns(lambda v: (v - v.mean()) / v.std(ddof=ddof), a)


def minmax(a):
    return map_columns(lambda v: (v - v.min()) / (v.max() - v.min()), a)


def onehot(labels, k=None):
    y = labels.ravel().astype(int)
    return np.eye(int(k) if k is not None else y.max())[y - 1]


# Exact values of the integrals the test asks for, by name of the integrand.
INTEGRALS = {
    "sin": lambda a, b: math.cos(a) - math.cos(b),
    "normpdf": lambda a, b: 0.5 * (math.erfc(-b / math.sqrt(2)) - math.erfc(-a / math.sqrt(2))),
    "gauss": lambda a, b: math.sqrt(math.pi) / 2 * (math.erf(b) - math.erf(a)),
    "cube_exp": lambda a, b: (lambda F: F(b) - F(a))(lambda x: 0.0 if x == math.inf else -math.exp(-x) * (x ** 3 + 3 * x ** 2 + 6 * x + 6)),
    "inverse_square": lambda a, b: (0.0 if b == math.inf else -1 / b) + 1 / a,
    "arctan_density": lambda a, b: (math.atan(b) - math.atan(a)) / math.pi,
    "sqrt": lambda a, b: 2 / 3 * (b ** 1.5 - a ** 1.5),
    "oscillating": lambda a, b: (math.sin(10 * b) - math.sin(10 * a)) / 10,
}

# Functions passed to map, filter and iterate, by name (the same as FUNCTIONS in oracle.test.ts).
STEP_FUNCTIONS = {
    "sin": math.sin,
    "square_plus_one": lambda t: t * t + 1,
    "positive": lambda t: 1.0 if t > 0 else 0.0,
    "logistic_map": lambda t: 3.7 * t * (1 - t),
}


def iterate(name, x0, n):
    xs = [x0]
    for _ in range(int(n)):
        xs.append(STEP_FUNCTIONS[name](xs[-1]))
    return np.array([xs])


def filter_vector(v, name):
    kept = [x for x in v.ravel() if STEP_FUNCTIONS[name](x) != 0]
    return np.array(kept).reshape(-1, 1) if v.shape[1] == 1 and v.shape[0] != 1 else np.array([kept])


def last(a):
    return a.ravel()[-1] if is_vector(a) else a[:, -1:]


OPS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "exp": np.exp, "log": np.log, "ln": np.log,
    "log2": np.log2, "log10": np.log10, "sqrt": np.sqrt, "abs": np.abs, "sign": np.sign,
    "floor": np.floor, "ceil": np.ceil,
    "round": lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5),
    "atan2": np.arctan2, "mod": np.mod,
    "erf": lambda x: elementwise(math.erf, x),
    "erfc": lambda x: elementwise(math.erfc, x),
    "gamma": lambda x: elementwise(lambda v: math.gamma(v) if v < 171.7 else math.inf, x),
    "factorial": lambda x: elementwise(lambda v: math.gamma(v + 1) if v < 170.7 else math.inf, x),
    "real": np.real, "imag": np.imag, "conj": np.conj,
    "sum": lambda a: reduce_columns(np.sum, a),
    "prod": lambda a: reduce_columns(np.prod, a),
    "mean": lambda a: reduce_columns(np.mean, a),
    "median": lambda a: reduce_columns(np.median, a),
    "mode": lambda a: reduce_columns(mode, a),
    "var": lambda a, o="population": reduce_columns(lambda v: np.var(v, ddof=1 if o == "sample" else 0), a),
    "std": lambda a, o="population": reduce_columns(lambda v: np.std(v, ddof=1 if o == "sample" else 0), a),
    "min": lambda a, b=None: reduce_columns(np.min, a) if b is None else np.minimum(a, b),
    "max": lambda a, b=None: reduce_columns(np.max, a) if b is None else np.maximum(a, b),
    "cumsum": lambda a: map_columns(np.cumsum, a),
    "cumprod": lambda a: map_columns(np.cumprod, a),
    "quantile": quantile,
    "cov": cov,
    "corr": corr,
    "zscore": zscore,
    "minmax": minmax,
    "normpdf": lambda x, m=0.0, s=1.0: np.exp(-0.5 * ((x - m) / s) ** 2) / (s * np.sqrt(2 * np.pi)),
    "normcdf": normcdf,
    "norminv": norminv,
    "binopdf": binopdf,
    "binocdf": binocdf,
    "poisspdf": poisspdf,
    "poisscdf": poisscdf,
    "unifpdf": lambda x, a=0.0, b=1.0: np.where((x >= a) & (x <= b), 1 / (b - a), 0.0),
    "unifcdf": lambda x, a=0.0, b=1.0: np.clip((x - a) / (b - a), 0, 1),
    "exppdf": lambda x, mu=1.0: np.where(x >= 0, np.exp(-x / mu) / mu, 0.0),
    "expcdf": lambda x, mu=1.0: np.where(x > 0, -np.expm1(-x / mu), 0.0),
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
    "relu": lambda x: np.maximum(x, 0),
    "softplus": lambda x: np.logaddexp(0, x),
    "softmax": lambda a: map_columns(softmax_vector, a),
    "logsoftmax": lambda a: map_columns(lambda v: v - np.logaddexp.reduce(v), a),
    "logsumexp": lambda a: reduce_columns(np.logaddexp.reduce, a),
    "onehot": onehot,
    "linspace": lambda a, b, n=100: np.linspace(a, b, int(n)).reshape(1, -1),
    "range": matlab_range,
    "sort": lambda a, o="ascend": map_columns(lambda v: np.sort(v) if o == "ascend" else -np.sort(-v), a),
    "argmin": lambda a: reduce_columns(lambda v: np.argmin(v) + 1, a),
    "argmax": lambda a: reduce_columns(lambda v: np.argmax(v) + 1, a),
    "length": lambda a: max(a.shape),
    "numel": lambda a: a.size,
    "integral": lambda name, a, b: INTEGRALS[name](a, b),
    "map": lambda a, name: np.vectorize(STEP_FUNCTIONS[name], otypes=[float])(a),
    "filter": filter_vector,
    "iterate": iterate,
    "last": last,
}


def main():
    cases = json.load(sys.stdin)
    results = []
    with np.errstate(all="ignore"):
        for case in cases:
            args = [decode(a) for a in case["args"]]
            results.append(encode(np.asarray(OPS[case["op"]](*args), dtype=float)))
    json.dump(results, sys.stdout)


main()
