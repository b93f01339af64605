"""The Beta CDF of ``mutual.engine.beta`` over arrays, for the vectorised depth gate.

The continued fraction is the engine's (modified Lentz, the same terms in the same
order); each element stops at the term where the engine's loop would stop. ``log Γ``
comes from Stirling's series, as ``math.lgamma`` is not vectorised. NumPy's
``log``/``exp`` may differ from the C library's in the last bit, so a CDF computed
here can differ from the engine's by about 1e-16. The gate only asks whether the CDF
is at most the lower-bound quantile; :func:`cdf_at_most` hands the rare elements within
1e-9 of that quantile to the engine's own ``beta_cdf``, so the answer is always the
engine's.
"""

from __future__ import annotations

import math

import numpy as np

from mutual.engine import beta_cdf

_EPS = 1e-15
_MAX_TERMS = 500
#: CDF values this close to the quantile are decided by the engine itself.
REFEREE_BAND = 1e-9


def _continued_fraction(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The engine's continued fraction, without its guard against a zero denominator.

    The guard only acts below 1e-300; were that ever reached here, the result is not
    finite and :func:`cdf_at_most` hands the element to the engine.
    """
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        d = 1.0 / (1.0 - qab * x / qap)
        h = d.copy()
        out = np.empty_like(x)
        live = np.arange(x.shape[0])
        for m in range(1, _MAX_TERMS + 1):
            m2 = 2 * m
            aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1.0 / (1.0 + aa * d)
            c = 1.0 + aa / c
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1.0 / (1.0 + aa * d)
            c = 1.0 + aa / c
            delta = d * c
            h *= delta
            done = np.abs(delta - 1.0) < _EPS
            if done.any():
                out[live[done]] = h[done]
                keep = ~done
                live = live[keep]
                if live.size == 0:
                    return out
                x, a, b, c, d, h = x[keep], a[keep], b[keep], c[keep], d[keep], h[keep]
                qab, qap, qam = qab[keep], qap[keep], qam[keep]
    out[live] = np.nan  # the engine raises here; cdf_at_most hands these to it
    return out


_HALF_LOG_TAU = 0.5 * math.log(2.0 * math.pi)
#: Stirling's series for log Γ: coefficients of x^-1, x^-3, x^-5, … (B_2k / (2k(2k − 1))).
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360)
_SHIFT = 12


def log_gamma(x: np.ndarray) -> np.ndarray:
    """log Γ(x) for 0 < x < 1e20, to about 1e-14 relative.

    Γ(x) = Γ(x + 12) / (x (x + 1) … (x + 11)), and Stirling's series for Γ(x + 12).
    ``math.lgamma`` is not vectorised; the small difference from it (and so from the
    engine) is far inside :data:`REFEREE_BAND`.
    """
    product = x.copy()
    for j in range(1, _SHIFT):
        product *= x + j
    y = x + _SHIFT
    inv = 1.0 / y
    inv2 = inv * inv
    series = np.full_like(y, _STIRLING[-1])
    for coefficient in reversed(_STIRLING[:-1]):
        series = series * inv2 + coefficient
    result: np.ndarray = (y - 0.5) * np.log(y) - y + _HALF_LOG_TAU + series * inv - np.log(product)
    return result


def _log_beta(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    n = a.shape[0]
    lg = log_gamma(np.concatenate((a, b, a + b)))
    result: np.ndarray = lg[:n] + lg[n : 2 * n] - lg[2 * n :]
    return result


def beta_cdf_array(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P(X ≤ x) for X ~ Beta(a, b), element by element, for 0 < x < 1 and a, b > 0."""
    out = np.empty_like(x)
    if x.size == 0:
        return out
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_front = a * np.log(x) + b * np.log1p(-x) - _log_beta(a, b)
        front = np.exp(log_front)
    direct = x < (a + 1.0) / (a + b + 2.0)
    if direct.any():
        i = direct
        out[i] = front[i] * _continued_fraction(x[i], a[i], b[i]) / a[i]
    if not direct.all():
        i = ~direct
        out[i] = 1.0 - front[i] * _continued_fraction(1.0 - x[i], b[i], a[i]) / b[i]
    return out


def cdf_at_most(x: np.ndarray, a: np.ndarray, b: np.ndarray, p: float) -> np.ndarray:
    """Whether ``beta_cdf(x, a, b) ≤ p`` for each element, exactly as the engine decides.

    Elements far from the boundary are settled by Cantelli's inequality, without the
    CDF: with mean μ and standard deviation s, ``P(X ≤ μ − k·s) ≤ 1/(1 + k²)`` and
    ``P(X < μ + k·s) ≥ k²/(1 + k²)``. The margins leave the true CDF at least 0.007
    away from ``p``, far beyond any rounding. This shortcut holds for p = 0.2 and
    similar quantiles; for others every element takes the CDF.
    """
    result = np.zeros(x.shape[0], dtype=bool)
    if 0.1 <= p <= 0.3:
        total = a + b
        mean = a / total
        sd = np.sqrt(a * b / (total * total * (total + 1.0)))
        low_k = math.sqrt(1.0 / (p - 0.007) - 1.0)  # P(X ≤ μ − k·s) ≤ p − 0.007
        high_k = math.sqrt((p + 0.007) / (1.0 - p - 0.007))  # P(X < μ + k·s) ≥ p + 0.007
        surely = x <= mean - low_k * sd
        never = x >= mean + high_k * sd
        unsure = ~(surely | never)
        result[surely] = True
        if unsure.any():
            result[unsure] = _cdf_at_most(x[unsure], a[unsure], b[unsure], p)
        return result
    return _cdf_at_most(x, a, b, p)


def _cdf_at_most(x: np.ndarray, a: np.ndarray, b: np.ndarray, p: float) -> np.ndarray:
    cdf = beta_cdf_array(x, a, b)
    result = cdf <= p
    close = ~(np.abs(cdf - p) > REFEREE_BAND) | ~np.isfinite(cdf)
    for i in np.flatnonzero(close).tolist():
        result[i] = beta_cdf(float(x[i]), float(a[i]), float(b[i])) <= p
    return result
