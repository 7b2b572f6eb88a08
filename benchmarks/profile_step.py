"""Where one training step of `fit` goes: `torch.profiler` over the Trainer's own `one_batch`, then ms per step with the
loss checked for NaN every step (the old way: a host sync per step) against every 25 steps (the default), side by side.

    python benchmarks/profile_step.py [--batch-size 512] [--n 50000] [--steps 60] [--device cuda]

The profile: `schedule(wait=2, warmup=3, active=10)`, the operators sorted by their own device time (CPU time on a CPU),
and the kernel time per step against the wall time per step: a wall time well above the kernel time means the step is
bound by launching operators, not by arithmetic (the case for a CUDA graph). A benchmark: prints, asserts nothing.
"""
import argparse, os, time, itertools
import torch
from torch.profiler import profile, schedule, ProfilerActivity
from cifar_resnet.cifar10 import load_cifar10, subset
from cifar_resnet.data import BatchedLoader
from cifar_resnet.custom_resnet import CustomResNet
from cifar_resnet.train import fit_args, make_trainer
from cifar_resnet.inference import pick_device, device_name

def trainer(bl, dev, check_every):
    "The `Trainer` that `fit` builds on `dev` (its precision and layout, Adam, One Cycle), without checkpoints"
    torch.manual_seed(0)
    recipe, setup = fit_args(bl, 4e-4, 4e-3, device=dev, check_every=check_every, progress=False, log=None)
    return make_trainer(CustomResNet(), bl, recipe=recipe, setup=setup)

def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize()

def batches(bl):
    "Training batches without end, epoch after epoch"
    for e in itertools.count(): bl.set_epoch(e); yield from bl

def ms_per_step(t, bl, steps, warmup=5) -> float:
    "Wall milliseconds per `one_batch`, after `warmup` steps, with the pending loss checks done inside the timed region"
    it = batches(bl)
    for _ in range(warmup): t.one_batch(*next(it))
    t.sync(); sync(t.device); t0 = time.perf_counter()
    for _ in range(steps): t.one_batch(*next(it))
    t.sync(); sync(t.device)
    return 1000*(time.perf_counter() - t0)/steps

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('--batch-size', type=int, default=512); p.add_argument('--n', type=int, default=50_000)
    p.add_argument('--steps', type=int, default=60); p.add_argument('--device', default='auto')
    a = p.parse_args()
    dev = pick_device(a.device)
    d = subset(load_cifar10(os.environ.get('CIFAR10_DIR')), a.n if a.n < 50_000 else None)
    bl = BatchedLoader(d.x_train, d.y_train, batch_size=a.batch_size, device=dev, seed=0)
    if dev.type == 'cuda': torch.backends.cudnn.benchmark = True
    print(f'{device_name(dev)}, torch {torch.__version__}, batch {a.batch_size}')

    t, it = trainer(bl, dev, 25), batches(bl)
    acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if dev.type == 'cuda' else [])
    with profile(activities=acts, schedule=schedule(wait=2, warmup=3, active=10)) as prof:
        for _ in range(15): t.one_batch(*next(it)); prof.step()
    t.sync(); sync(dev)
    key = 'self_device_time_total' if dev.type == 'cuda' else 'self_cpu_time_total'
    ka = prof.key_averages()
    print(ka.table(sort_by=key, row_limit=20))
    if dev.type == 'cuda':
        kernel_ms = sum(getattr(e, key) for e in ka)/1000/10
        launches = sum(e.count for e in ka if 'LaunchKernel' in e.key)/10
        print(f'kernel time {kernel_ms:.2f} ms per step (10 profiled steps); kernel launches per step {launches:.0f}')

    every_step = ms_per_step(trainer(bl, dev, 1), bl, a.steps)
    every_25 = ms_per_step(trainer(bl, dev, 25), bl, a.steps)
    print(f'ms per step: NaN check every step {every_step:.2f}, every 25 steps {every_25:.2f} (ratio {every_25/every_step:.2f}x)')
