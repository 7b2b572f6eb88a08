"""Milliseconds per training step at batch 512 on this CPU, in each precision, against the plain reference loop, side by side.

    python benchmarks/cpu_precision.py [--steps 3] [--batch-size 512] [--compile] [--only-auto]

Each row trains the spec's CustomResNet on the same real CIFAR-10 images, one warm-up step, then `--steps` timed steps:
- reference: the loop as the seeds wrote it, a DataLoader applying albumentations per image, float32, no channels_last
  (`cifar_resnet_train --loader dataloader --amp off` trains so);
- fp32: the library's `Trainer` (`fit_args` + `make_trainer`) with `BatchedLoader`, float32, contiguous;
- fp32 + channels_last;
- bf16 + channels_last: what `--amp auto` picks on a CPU with bf16 instructions (AVX-512 BF16 or AMX);
- with `--compile`, also what `--amp auto` picks here (bf16 + channels_last, or fp32 on a CPU without bf16 instructions) through
  `torch.compile` (inductor), as `cifar_resnet_train --compile` runs: two warm-up steps (the first compiles; its seconds are printed
  apart), then the timed steps.
`--only-auto` times only what `--amp auto` picks here, eager, and compiled with `--compile`: the eager row is then the baseline.
The ratios are what to read: these machines are noisy, and anything else running on the CPU slows every row.
A benchmark: prints, asserts nothing.
"""
import argparse, os, time
import torch
from torch import nn
from cifar_resnet.cifar10 import load_cifar10, subset
from cifar_resnet.data import BatchedLoader, cifar10_loaders
from cifar_resnet.custom_resnet import CustomResNet
from cifar_resnet.inference import cpu_bf16, device_name
from cifar_resnet.train import fit_args, make_trainer, one_cycle

def reference_ms(data, bs:int, steps:int) -> float:
    "Milliseconds per step of the plain loop, after one warm-up step"
    torch.manual_seed(0)
    model, crit = CustomResNet().train(), nn.CrossEntropyLoss()
    dl, _ = cifar10_loaders(data, batch_size=bs, num_workers=2)
    opt = torch.optim.Adam(model.parameters(), lr=4e-4)
    sched = one_cycle(opt, 4e-4, 4e-3, steps_per_epoch=len(dl), epochs=2, peak_epoch=1)
    it = iter(dl)
    for i in range(1 + steps):
        if i == 1: t0 = time.perf_counter()
        xb, yb = next(it)
        loss = crit(model(xb), yb); opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    loss.item()
    return 1000*(time.perf_counter() - t0)/steps

def library_ms(data, bs:int, steps:int, amp:str, channels_last:bool, compile=False) -> float:
    "Milliseconds per `Trainer.one_batch` in the given precision and layout, after one warm-up step (two when compiled)"
    torch.manual_seed(0)
    bl = BatchedLoader(data.x_train, data.y_train, batch_size=bs, device='cpu', seed=0)
    recipe, setup = fit_args(bl, 4e-4, 4e-3, epochs=2, peak_epoch=1, device='cpu', amp=amp, channels_last=channels_last,
                             compile=compile, progress=False, log=None)
    t, it, warm = make_trainer(CustomResNet(), bl, recipe=recipe, setup=setup), iter(bl), 2 if compile else 1
    t00 = time.perf_counter()
    for i in range(warm + steps):
        if i == 1 and compile: t.sync(); print(f'  (torch.compile: the first step took {time.perf_counter() - t00:.0f} s)', flush=True)
        if i == warm: t.sync(); t0 = time.perf_counter()
        t.one_batch(*next(it))
    t.sync()
    return 1000*(time.perf_counter() - t0)/steps

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--steps', type=int, default=3); p.add_argument('--batch-size', type=int, default=512)
    p.add_argument('--compile', action='store_true', help="add --amp auto's choice through torch.compile")
    p.add_argument('--only-auto', action='store_true', help="only --amp auto's choice, eager (and compiled with --compile)")
    a = p.parse_args()
    d = subset(load_cifar10(os.environ.get('CIFAR10_DIR')), a.batch_size*(a.steps+3), 100)
    print(f'CustomResNet training step, batch {a.batch_size}, {a.steps} timed steps after one warm-up; {device_name("cpu")}, '
          f'{torch.get_num_threads()} threads, torch {torch.__version__}, bf16 instructions: {cpu_bf16()}; {time.strftime("%Y-%m-%d")}')
    auto = ('bf16', True, 'bf16 + channels_last') if cpu_bf16() else ('off', False, 'fp32')   # what --amp auto picks here
    if a.only_auto: rows = [(f'{auto[2]} (--amp auto here), eager', library_ms(d, a.batch_size, a.steps, auto[0], auto[1]))]
    else:
        rows = [('reference: DataLoader + albumentations, fp32', reference_ms(d, a.batch_size, a.steps)),
                ('fp32', library_ms(d, a.batch_size, a.steps, 'off', False)),
                ('fp32 + channels_last', library_ms(d, a.batch_size, a.steps, 'off', True))]
        if cpu_bf16(): rows.append(('bf16 + channels_last (--amp auto here)', library_ms(d, a.batch_size, a.steps, 'bf16', True)))
        else: print('  (no bf16 row: without bf16 instructions oneDNN only emulates it, many times slower than fp32)')
    if a.compile: rows.append((f'{auto[2]} + torch.compile', library_ms(d, a.batch_size, a.steps, auto[0], auto[1], compile=True)))
    if a.compile and not a.only_auto and not cpu_bf16():
        rows.append(('fp32 + channels_last + torch.compile', library_ms(d, a.batch_size, a.steps, 'off', True, compile=True)))
    ref, base = rows[0], 'the reference' if not a.only_auto else 'eager'
    for name, ms in rows: print(f'  {name:<48}{ms:10,.0f} ms/step   {ref[1]/ms:5.2f}x {base}')
