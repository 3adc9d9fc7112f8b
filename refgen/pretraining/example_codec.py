"""Minimal tf.train.Example reader/encoder for the fixture scripts (no TensorFlow here):
TFRecord framing without crc checks, and the three feature kinds."""
import struct


def read_tfrecords(path):
    with open(path, "rb") as f:
        data = f.read()
    off = 0
    while off < len(data):
        (length,) = struct.unpack_from("<Q", data, off)
        yield data[off + 12: off + 12 + length]
        off += 12 + length + 4


def _varint(buf, off):
    shift = result = 0
    while True:
        b = buf[off]
        off += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, off


def _fields(buf):
    off = 0
    while off < len(buf):
        key, off = _varint(buf, off)
        field, wire = key >> 3, key & 7
        if wire == 2:
            n, off = _varint(buf, off)
            yield field, buf[off:off + n]
            off += n
        elif wire == 0:
            v, off = _varint(buf, off)
            yield field, v
        elif wire == 5:
            yield field, buf[off:off + 4]
            off += 4
        else:
            raise ValueError("wire type %d" % wire)


def _feature(buf):
    for field, body in _fields(buf):
        if field == 3:  # Int64List, packed
            vals, off = [], 0
            for f2, b2 in _fields(body):
                if isinstance(b2, int):
                    vals.append(b2)
                else:
                    while off < len(b2):
                        v, off = _varint(b2, off)
                        vals.append(v - (1 << 64) if v >= 1 << 63 else v)
                    off = 0
            return vals
        if field == 2:  # FloatList, packed
            vals = []
            for f2, b2 in _fields(body):
                vals.extend(struct.unpack("<%df" % (len(b2) // 4), b2))
            return vals
    return []


def decode_example(buf):
    out = {}
    for field, features in _fields(buf):
        for f2, entry in _fields(features):
            name = value = None
            for f3, b3 in _fields(entry):
                if f3 == 1:
                    name = b3.decode("utf-8")
                else:
                    value = _feature(b3)
            out[name] = value
    return out
