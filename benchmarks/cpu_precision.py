"""Milliseconds per training step at batch 512 on this CPU, in each precision, against the plain reference loop, side by side.

    python benchmarks/cpu_precision.py [--steps 3] [--batch-size 512]

Each row trains the spec's CustomResNet on the same real CIFAR-10 images, one warm-up step, then `--steps` timed steps:
- reference: the loop as the seeds wrote it, a DataLoader applying albumentations per image, float32, no channels_last
  (`cifar_resnet_train --loader dataloader --amp off` trains so);
- fp32: the library's `Trainer` (`fit_settings` + `make_trainer`) with `BatchedLoader`, float32, contiguous;
- fp32 + channels_last;
- bf16 + channels_last: what `--amp auto` picks on a CPU with bf16 instructions (AVX-512 BF16 or AMX).
The ratios are what to read: these machines are noisy, and anything else running on the CPU slows every row.
A benchmark: prints, asserts nothing.
"""
import argparse, os, time, itertools
import torch
from torch import nn
from cifar_resnet.data import load_cifar10, subset
from cifar_resnet.augment import BatchedLoader, cifar10_loaders
from cifar_resnet.model import CustomResNet, cpu_bf16
from cifar_resnet.train import fit_settings, make_trainer, one_cycle, device_name

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

def library_ms(data, bs:int, steps:int, amp:str, channels_last:bool) -> float:
    "Milliseconds per `Trainer.one_batch` in the given precision and layout, after one warm-up step"
    torch.manual_seed(0)
    bl = BatchedLoader(data.x_train, data.y_train, batch_size=bs, device='cpu', seed=0)
    s = fit_settings(bl, 4e-4, 4e-3, epochs=2, peak_epoch=1, device='cpu', amp=amp, channels_last=channels_last, progress=False, log=None)
    t, it = make_trainer(CustomResNet(), s), iter(bl)
    for i in range(1 + steps):
        if i == 1: t.check_losses(); t0 = time.perf_counter()
        t.one_batch(*next(it))
    t.check_losses()
    return 1000*(time.perf_counter() - t0)/steps

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--steps', type=int, default=3); p.add_argument('--batch-size', type=int, default=512)
    a = p.parse_args()
    d = subset(load_cifar10(os.environ.get('CIFAR10_DIR')), a.batch_size*(a.steps+2), 100)
    print(f'CustomResNet training step, batch {a.batch_size}, {a.steps} timed steps after one warm-up; {device_name("cpu")}, '
          f'{torch.get_num_threads()} threads, torch {torch.__version__}, bf16 instructions: {cpu_bf16()}; {time.strftime("%Y-%m-%d")}')
    rows = [('reference: DataLoader + albumentations, fp32', reference_ms(d, a.batch_size, a.steps)),
            ('fp32', library_ms(d, a.batch_size, a.steps, 'off', False)),
            ('fp32 + channels_last', library_ms(d, a.batch_size, a.steps, 'off', True)),
            ('bf16 + channels_last (--amp auto here)' if cpu_bf16() else 'bf16 + channels_last (emulated: no bf16 instructions)',
             library_ms(d, a.batch_size, a.steps, 'bf16', True))]
    ref = rows[0][1]
    for name, ms in rows: print(f'  {name:<48}{ms:10,.0f} ms/step   {ref/ms:5.2f}x the reference')
