"""The Beta CDF of ``mutual.engine.beta`` over arrays, for the vectorised depth gate.

The continued fraction is the engine's (modified Lentz, the same terms in the same
order); each element stops at the term where the engine's loop would stop. NumPy's
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

_TINY = 1e-300
_EPS = 1e-15
_MAX_TERMS = 500
#: CDF values this close to the quantile are decided by the engine itself.
REFEREE_BAND = 1e-9


def _guard(v: np.ndarray) -> np.ndarray:
    return np.where(np.abs(v) < _TINY, _TINY, v)


def _continued_fraction(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 / _guard(1.0 - qab * x / qap)
    h = d.copy()
    out = np.empty_like(x)
    live = np.arange(x.shape[0])
    for m in range(1, _MAX_TERMS + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = _guard(1.0 + aa * d)
        c = _guard(1.0 + aa / c)
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = _guard(1.0 + aa * d)
        c = _guard(1.0 + aa / c)
        d = 1.0 / d
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


def _log_beta(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lg = math.lgamma
    return np.array(
        [lg(x) + lg(y) - lg(x + y) for x, y in zip(a.tolist(), b.tolist(), strict=True)],
        dtype=np.float64,
    )


def beta_cdf_array(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P(X ≤ x) for X ~ Beta(a, b), element by element, for 0 < x < 1 and a, b > 0."""
    out = np.empty_like(x)
    if x.size == 0:
        return out
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
    """Whether ``beta_cdf(x, a, b) ≤ p`` for each element, exactly as the engine decides."""
    cdf = beta_cdf_array(x, a, b)
    result = cdf <= p
    close = ~(np.abs(cdf - p) > REFEREE_BAND)  # also catches NaN
    for i in np.flatnonzero(close).tolist():
        result[i] = beta_cdf(float(x[i]), float(a[i]), float(b[i])) <= p
    return result
