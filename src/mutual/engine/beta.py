"""The Beta distribution, with the standard library alone.

``beta_cdf`` is the regularized incomplete beta function, evaluated by its continued
fraction (modified Lentz's method); ``beta_ppf`` inverts it by Newton steps guarded by
bisection. Both are checked against SciPy in the tests to 1e-10.
"""

from __future__ import annotations

import math

_TINY = 1e-300
_EPS = 1e-15
_MAX_TERMS = 500
_XTOL = 1e-15


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _continued_fraction(x: float, a: float, b: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1.0 / d
    h = d
    for m in range(1, _MAX_TERMS + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise ArithmeticError(
        f"the Beta({a:g}, {b:g}) distribution is too concentrated to evaluate here"
    )


def beta_cdf(x: float, a: float, b: float) -> float:
    """P(X ≤ x) for X ~ Beta(a, b), a, b > 0."""
    if a <= 0 or b <= 0:
        raise ValueError("Beta parameters must be positive")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = a * math.log(x) + b * math.log1p(-x) - _log_beta(a, b)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _continued_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _continued_fraction(1.0 - x, b, a) / b


def _beta_pdf(x: float, a: float, b: float) -> float:
    return math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - _log_beta(a, b))


def beta_ppf(p: float, a: float, b: float) -> float:
    """The ``p``-quantile of Beta(a, b): the x with P(X ≤ x) = p, for 0 < p < 1."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    if a <= 0 or b <= 0:
        raise ValueError("Beta parameters must be positive")
    if p > 0.5:
        # The upper tail, solved as the lower tail of Beta(b, a): 1 − p is exact here,
        # and the answer keeps its precision where the CDF flattens out near 1.
        return 1.0 - _lower_ppf(1.0 - p, b, a)
    return _lower_ppf(p, a, b)


def _lower_ppf(p: float, a: float, b: float) -> float:
    lo, hi = 0.0, 1.0
    x = a / (a + b)
    # Newton while it stays strictly inside the bracket, bisection otherwise. Every
    # step narrows the bracket, and there are finitely many floats: the loop ends.
    while True:
        f = beta_cdf(x, a, b) - p
        if f > 0:
            hi = x
        else:
            lo = x
        step = f / max(_beta_pdf(x, a, b), _TINY)
        candidate = x - step
        if abs(step) <= _XTOL and lo <= candidate <= hi:
            return candidate
        x = candidate if lo < candidate < hi else (lo + hi) / 2.0
        if hi - lo < _XTOL:
            return x
