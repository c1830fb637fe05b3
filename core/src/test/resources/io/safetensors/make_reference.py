"""Writes reference.safetensors with the reference library (safetensors 0.8, torch): one tensor per
dtype torch can store, values (i - 3) * 0.5 for floats and i - 3 (or i) for integers, i the flat index.
SafetensorsInteropTest reads it back. Run: python3 make_reference.py"""
import torch
from safetensors.torch import save_file

def ramp(n, dtype, shape):
    v = torch.arange(n, dtype=torch.float64) - 3
    if dtype.is_floating_point:
        v = v * 0.5
    if dtype == torch.uint8:
        v = v + 3
    if dtype == torch.bool:
        return (torch.arange(n) % 3 == 0).reshape(shape)
    return v.to(dtype).reshape(shape)

tensors = {
    "f64": ramp(6, torch.float64, (2, 3)),
    "f32": ramp(6, torch.float32, (3, 2)),
    "f16": ramp(6, torch.float16, (6,)),
    "bf16": ramp(8, torch.bfloat16, (2, 2, 2)),
    "f8_e4m3": ramp(6, torch.float8_e4m3fn, (6,)),
    "f8_e5m2": ramp(6, torch.float8_e5m2, (6,)),
    "i64": ramp(4, torch.int64, (4,)),
    "i32": ramp(4, torch.int32, (2, 2)),
    "i16": ramp(4, torch.int16, (4,)),
    "i8": ramp(4, torch.int8, (4,)),
    "u8": ramp(4, torch.uint8, (4,)),
    "bool": ramp(6, torch.bool, (2, 3)),
    "scalar": torch.tensor(2.5, dtype=torch.float32),
    "empty": torch.zeros((0, 3), dtype=torch.float32),
}
save_file(tensors, "reference.safetensors", metadata={"format": "pt", "writer": "safetensors 0.8"})
