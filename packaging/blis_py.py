"""``blis.py`` of the frozen bundle: the one function thinc calls, on numpy's BLAS.

blis ships two extension modules that each link all of BLIS for a dozen x86 kernels
(17 MB apiece, stripped). spaCy's parser/NER calls ``blis.cy`` from C, so that one
stays; ``blis.py`` is used by thinc alone, for ``NumpyOps.gemm`` (one call:
``blis.py.gemm(x, y, out=out, trans1=..., trans2=..., beta=0.)``). The spec replaces
the extension with this module, which computes the same thing with numpy's matmul
(OpenBLAS, already in the bundle because numpy links it). Measured on the seed
articles with en_core_web_sm: 16.5k tokens/s against 12.2k with BLIS, single-threaded.

Same contract as blis.py.gemm: ``C = alpha * op(A) @ op(B) + beta * C``, where C is
``out`` (zeros when None), float32 or float64 2-d arrays of one dtype, C-contiguous out.
Anything else thinc might call in a later version raises AttributeError, loudly.
"""

from __future__ import annotations

import numpy

__all__ = ["gemm"]

_DTYPES = (numpy.float32, numpy.float64)


def gemm(A, B, out=None, trans1=False, trans2=False, alpha=1.0, beta=1.0):  # noqa: N803 - blis names
    """``alpha * op(A) @ op(B) + beta * out`` (``out`` is written and returned)."""
    if A.dtype != B.dtype or A.dtype.type not in _DTYPES or A.ndim != 2 or B.ndim != 2:
        raise TypeError(f"No matching signature for blis.gemm: {A.dtype}[{A.ndim}d], {B.dtype}[{B.ndim}d]")
    a = A.T if trans1 else A
    b = B.T if trans2 else B
    if a.shape[1] != b.shape[0]:
        raise ValueError(f"Shape mismatch for blis.gemm: {a.shape}, {b.shape}")
    if out is None:
        product = numpy.matmul(a, b)
        if alpha != 1.0:
            product *= alpha
        return product
    if out.shape != (a.shape[0], b.shape[1]) or out.dtype != A.dtype:
        raise ValueError(f"blis.gemm: out is {out.dtype}{out.shape}, expected {A.dtype}"
                         f"({a.shape[0]}, {b.shape[1]})")
    if beta == 0.0 and alpha == 1.0:
        numpy.matmul(a, b, out=out)
        return out
    product = numpy.matmul(a, b)
    if alpha != 1.0:
        product *= alpha
    if beta == 0.0:
        out[...] = product
    else:
        out *= beta
        out += product
    return out
