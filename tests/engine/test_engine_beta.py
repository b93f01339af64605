"""The Beta distribution of docs/engine.md §3, checked against SciPy to 1e-10."""

from __future__ import annotations

import math

import pytest
from engine_cases import PROPERTY
from hypothesis import given, note
from hypothesis import strategies as st
from scipy.stats import beta as scipy_beta

from mutual.engine import beta_cdf, beta_ppf

#: Beta parameters from 0.05 to 10,000, spread evenly on a log scale.
parameters = st.floats(min_value=math.log(0.05), max_value=math.log(10_000.0)).map(math.exp)
probabilities = st.floats(min_value=1e-9, max_value=1 - 1e-9)
points = st.floats(min_value=0.0, max_value=1.0)

MANY = PROPERTY.__class__(PROPERTY, max_examples=1000)


@MANY
@given(x=points, a=parameters, b=parameters)
def test_beta_cdf_matches_scipy(x: float, a: float, b: float) -> None:
    assert beta_cdf(x, a, b) == pytest.approx(scipy_beta.cdf(x, a, b), abs=1e-10)


@MANY
@given(p=probabilities, a=parameters, b=parameters)
def test_beta_ppf_matches_scipy(p: float, a: float, b: float) -> None:
    note(f"p={p!r} a={a!r} b={b!r}")
    _assert_quantile_agrees(p, a, b)


def _assert_quantile_agrees(p: float, a: float, b: float) -> None:
    ours = beta_ppf(p, a, b)
    theirs = float(scipy_beta.ppf(p, a, b))
    if abs(ours - theirs) > 1e-10:
        # SciPy's quantile is now and then the less accurate of the two: the median of
        # Beta(1.00001, 1.00001) is exactly 0.5, and SciPy answers 0.4999999923. Its CDF,
        # which is accurate, then says which inverse is better.
        assert abs(scipy_beta.cdf(ours, a, b) - p) < abs(scipy_beta.cdf(theirs, a, b) - p)


@MANY
@given(a=parameters, b=parameters)
def test_lower_bound_matches_scipy(a: float, b: float) -> None:
    """The 20th percentile the gate and the trust view use."""
    _assert_quantile_agrees(0.2, a, b)


@pytest.mark.parametrize(
    ("p", "a", "b"),
    [
        (0.2, 1.0, 1.0),
        (0.5, 2.0, 2.0),
        (0.2, 12.0, 1.5),
        (1e-9, 0.05, 0.05),
        (1 - 1e-9, 0.05, 0.05),
        (0.2, 10_000.0, 10_000.0),
        (0.0566, 5447.6, 4863.7),
        (0.9, 0.3, 9000.0),
    ],
)
def test_beta_ppf_inverts_beta_cdf(p: float, a: float, b: float) -> None:
    x = beta_ppf(p, a, b)
    assert 0.0 <= x <= 1.0
    assert x == pytest.approx(scipy_beta.ppf(p, a, b), abs=1e-10)


@pytest.mark.parametrize("a", [0.05, 1.0, 1.00001000005, 2.5, 40.0, 9000.0])
def test_the_median_of_a_symmetric_beta_is_one_half(a: float) -> None:
    assert beta_ppf(0.5, a, a) == pytest.approx(0.5, abs=1e-10)
    assert beta_cdf(0.5, a, a) == pytest.approx(0.5, abs=1e-10)


@pytest.mark.parametrize("x", [-0.5, 0.0, 1.0, 1.5])
def test_beta_cdf_outside_the_open_interval(x: float) -> None:
    assert beta_cdf(x, 3.0, 4.0) == (0.0 if x <= 0 else 1.0)


def test_a_distribution_too_concentrated_is_refused_not_guessed() -> None:
    with pytest.raises(ArithmeticError, match="too concentrated"):
        beta_cdf(0.5, 1e8, 1e8)
