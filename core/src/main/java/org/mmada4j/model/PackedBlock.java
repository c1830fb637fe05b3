package org.mmada4j.model;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.PackedWeight;

/**
 * One block's matrices packed once into the GEMM's fp32 panel layout ({@link PackedWeight}), so
 * that repeated passes (every denoising step) skip the per-call packing and widening. Costs fp32
 * heap memory (2× a bf16 checkpoint's bytes): see {@link MmadaModel#packWeights()}.
 */
record PackedBlock(PackedWeight q, PackedWeight k, PackedWeight v, PackedWeight attnOut,
                   PackedWeight ffProj, PackedWeight upProj, PackedWeight ffOut) {

    static PackedBlock of(ComputePool pool, BlockWeights w) {
        return new PackedBlock(PackedWeight.pack(pool, w.q()), PackedWeight.pack(pool, w.k()),
                PackedWeight.pack(pool, w.v()), PackedWeight.pack(pool, w.attnOut()),
                PackedWeight.pack(pool, w.ffProj()), PackedWeight.pack(pool, w.upProj()),
                PackedWeight.pack(pool, w.ffOut()));
    }

    long bytes() {
        return q.bytes() + k.bytes() + v.bytes() + attnOut.bytes() + ffProj.bytes() + upProj.bytes() + ffOut.bytes();
    }
}
