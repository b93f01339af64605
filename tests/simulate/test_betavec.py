"""The vectorised Beta CDF decides the gate's trust condition exactly as the engine does."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mutual.engine import beta_cdf, beta_ppf
from mutual.simulate.betavec import REFEREE_BAND, beta_cdf_array, cdf_at_most, log_gamma


def test_log_gamma_matches_the_standard_library() -> None:
    x = np.concatenate([np.linspace(0.01, 40.0, 4001), np.geomspace(1e-3, 1e6, 200)])
    expected = np.array([math.lgamma(v) for v in x])
    np.testing.assert_allclose(log_gamma(x), expected, rtol=1e-13, atol=1e-13)


def test_the_array_cdf_matches_the_engines_cdf() -> None:
    rng = np.random.default_rng(4)
    a = rng.uniform(0.5, 80.0, 3000)
    b = rng.uniform(0.5, 80.0, 3000)
    x = rng.uniform(0.001, 0.999, 3000)
    expected = np.array([beta_cdf(*v) for v in zip(x, a, b, strict=True)])
    np.testing.assert_allclose(beta_cdf_array(x, a, b), expected, rtol=0, atol=1e-12)


def test_the_array_cdf_of_nothing_is_nothing() -> None:
    empty = np.array([], dtype=np.float64)
    assert beta_cdf_array(empty, empty, empty).shape == (0,)


@pytest.mark.parametrize("p", [0.2, 0.05, 0.5])
def test_decisions_equal_the_engines_far_from_and_at_the_boundary(p: float) -> None:
    rng = np.random.default_rng(9)
    a = rng.uniform(1.0, 60.0, 400)
    b = rng.uniform(1.0, 60.0, 400)
    far = rng.uniform(0.01, 0.99, 400)
    # Thresholds placed on the quantile itself, and a hair either side of it.
    q = np.array([beta_ppf(p, ai, bi) for ai, bi in zip(a, b, strict=True)])
    for x in (far, q, np.nextafter(q, 0.0), np.nextafter(q, 1.0), q * (1 + 1e-12)):
        expected = np.array([beta_cdf(*v) <= p for v in zip(x, a, b, strict=True)])
        np.testing.assert_array_equal(cdf_at_most(x, a, b, p), expected)


def test_values_near_the_quantile_are_handed_to_the_engine() -> None:
    a, b = np.array([3.0]), np.array([2.0])
    x = np.array([beta_ppf(0.2, 3.0, 2.0)])
    assert abs(beta_cdf_array(x, a, b)[0] - 0.2) <= REFEREE_BAND
    assert cdf_at_most(x, a, b, 0.2)[0] == (beta_cdf(x[0], 3.0, 2.0) <= 0.2)
