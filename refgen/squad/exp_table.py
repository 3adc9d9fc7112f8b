"""The 2^(k/128) table of glibc's exp (sysdeps/ieee754/dbl-64/e_exp.c since 2.28), computed.

For k = 0..127: H[k] = the double nearest 2^(k/128), T[k] = the double nearest (2^(k/128) - H[k]) / H[k],
so that 2^(k/128) ~= H[k] * (1 + T[k]). Printed as the TypeScript pairs src/util/py_math.ts embeds
(asuint64(T[k]), asuint64(H[k]) - (k << 45)), and checked against this machine's math.exp on
random inputs by test/util/py_math.test.ts's fixture (refgen/squad/exp_cases.py).
"""
import struct
from decimal import Decimal, getcontext

getcontext().prec = 80
LN2 = Decimal(2).ln()


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


rows = []
for k in range(128):
    exact = (LN2 * k / 128).exp()
    h = float(exact)
    t = float((exact - Decimal(h)) / Decimal(h))
    rows.append((bits(t), (bits(h) - (k << 45)) % (1 << 64)))
for i in range(0, 128, 2):
    a, b = rows[i], rows[i + 1]
    print("  0x%016xn, 0x%016xn, 0x%016xn, 0x%016xn," % (a[0], a[1], b[0], b[1]))
