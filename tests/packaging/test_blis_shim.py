"""packaging/blis_py.py must compute what blis.py.gemm computes (the bundle swaps them)."""

from __future__ import annotations

import blis_py
import numpy
import pytest

blis = pytest.importorskip("blis.py")


def _pair(rng, m, k, n, trans1, trans2, dtype):
    a = rng.standard_normal((k, m) if trans1 else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if trans2 else (k, n)).astype(dtype)
    return a, b


@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_gemm_matches_blis(dtype, trans1, trans2):
    rng = numpy.random.default_rng(7)
    a, b = _pair(rng, 5, 7, 3, trans1, trans2, dtype)
    if dtype is numpy.float64 and (trans1 or trans2):
        # blis's own float64 path ignores the transpose flags (thinc uses float32 only)
        want = (a.T if trans1 else a) @ (b.T if trans2 else b)
    else:
        want = blis.gemm(a, b, trans1=trans1, trans2=trans2)
    got = blis_py.gemm(a, b, trans1=trans1, trans2=trans2)
    assert got.dtype == want.dtype == dtype
    numpy.testing.assert_allclose(got, want, rtol=1e-5)


@pytest.mark.parametrize("alpha,beta", [(1.0, 0.0), (2.0, 0.0), (1.0, 1.0), (0.5, -3.0)])
def test_gemm_into_out_with_alpha_beta(alpha, beta):
    rng = numpy.random.default_rng(3)
    a, b = _pair(rng, 4, 6, 5, False, True, numpy.float32)
    start = rng.standard_normal((4, 5)).astype(numpy.float32)
    want_out, got_out = start.copy(), start.copy()
    want = blis.gemm(a, b, out=want_out, trans2=True, alpha=alpha, beta=beta)
    got = blis_py.gemm(a, b, out=got_out, trans2=True, alpha=alpha, beta=beta)
    assert got is got_out  # written in place and returned, as thinc expects
    numpy.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_thinc_call_shape():
    """Exactly how thinc's NumpyOps.gemm calls it: beta=0 into a preallocated out."""
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal((8, 96)).astype("f")
    w = rng.standard_normal((64, 96)).astype("f")
    out = numpy.full((8, 64), numpy.nan, dtype="f")  # beta=0 must ignore what is there
    got = blis_py.gemm(x, w, out=out, trans1=False, trans2=True, beta=0.0)
    numpy.testing.assert_allclose(got, x @ w.T, rtol=1e-5, atol=1e-5)


def test_gemm_refuses_what_blis_refuses():
    a = numpy.ones((2, 3), dtype="f")
    with pytest.raises(ValueError, match="Shape mismatch"):
        blis_py.gemm(a, numpy.ones((2, 3), dtype="f"))
    with pytest.raises(TypeError):
        blis_py.gemm(a, numpy.ones((3, 2), dtype="d"))  # mixed dtypes
    with pytest.raises(TypeError):
        blis_py.gemm(a.astype("i"), numpy.ones((3, 2), dtype="i"))
