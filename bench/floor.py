# The raw-read floor: how long gdb's Python takes just to read a map's table memory.
#
# Run as: gdb -nx -batch -ex "python FLOOR_EXPR='main.m64'" -x bench/floor.py EXE CORE   (or -p PID)
#
# It locates the same byte ranges a decoder must read -- the classic bucket array
# (2^B buckets, plus oldbuckets while growing), or every Swiss table's group array
# ((lengthMask+1) groups) -- and reads them with gdb.selected_inferior().read_memory,
# timing only the locating and the reads. Nothing is decoded, so no tool that goes through
# gdb can be faster than this. It is a slight underestimate: classic overflow buckets are
# not followed (they would need per-bucket pointer chasing, which is decoding).
# Prints one line: FLOOR {"bytes": N, "seconds": S, "ranges": R, "impl": "..."}
import json
import time

import gdb

CHUNK = 16 << 20  # read in 16 MiB pieces so gdb's own peak memory stays bounded


def read_range(inf, addr, size):
    done = 0
    while done < size:
        n = min(CHUNK, size - done)
        inf.read_memory(addr + done, n)
        done += n
    return size


def main():
    inf = gdb.selected_inferior()
    t0 = time.perf_counter()
    v = gdb.parse_and_eval("'%s'" % FLOOR_EXPR)  # noqa: F821 -- set by -ex "python FLOOR_EXPR=..."
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        v = v.dereference()
    names = {f.name for f in v.type.strip_typedefs().fields()}
    total = 0
    ranges = 0
    if 'buckets' in names:
        impl = 'classic'
        bsize = v['buckets'].type.strip_typedefs().target().sizeof
        for field, b in (('buckets', int(v['B'])), ('oldbuckets', int(v['B']) - 1)):
            addr = int(v[field])
            if addr and b >= 0:
                total += read_range(inf, addr, (1 << b) * bsize)
                ranges += 1
    elif 'dirPtr' in names:
        impl = 'swiss'
        dir_len = int(v['dirLen'])
        table_type = v['dirPtr'].type.strip_typedefs().target().target().strip_typedefs()
        group_ptr = [f.type for f in table_type['groups'].type.strip_typedefs().fields() if f.name == 'data'][0]
        group_size = group_ptr.strip_typedefs().target().sizeof
        if dir_len <= 0:
            # A small map: dirPtr points straight at its one group.
            total += read_range(inf, int(v['dirPtr']), group_size)
            ranges += 1
        else:
            # The directory may hold one table several times (localDepth < globalDepth):
            # read each table once.
            ptr_size = gdb.lookup_type('void').pointer().sizeof
            raw = bytes(inf.read_memory(int(v['dirPtr']), dir_len * ptr_size))
            total += len(raw)
            seen = set()
            for i in range(dir_len):
                t = int.from_bytes(raw[i * ptr_size:(i + 1) * ptr_size], 'little')
                if t in seen:
                    continue
                seen.add(t)
                table = gdb.Value(t).cast(table_type.pointer()).dereference()
                groups = table['groups']
                total += read_range(inf, int(groups['data']), (int(groups['lengthMask']) + 1) * group_size)
                ranges += 1
    else:
        raise gdb.GdbError('floor.py: %s is neither a classic hmap nor a Swiss Map (fields %s)' % (FLOOR_EXPR, sorted(names)))  # noqa: F821
    seconds = time.perf_counter() - t0
    print('FLOOR ' + json.dumps({'bytes': total, 'seconds': seconds, 'ranges': ranges, 'impl': impl}))


main()
