"""Images per second of `fit`'s training step with the batched path, against a plain reference loop, side by side.

    python benchmarks/train_step.py [--steps 8] [--batch-size 128] [--device cpu|cuda]

reference: the loop as the seeds wrote it: a DataLoader applying albumentations per image, fp32, no channels_last,
Adam + OneCycleLR stepped per batch. fast: `fit` with `BatchedLoader` (and on CUDA bf16 autocast + channels_last).
Both train the spec's CustomResNet on the same real CIFAR-10 images, after a warm-up. A benchmark: prints, asserts nothing.
"""
import argparse, os, time
import torch
from torch import nn
from cifar_resnet.cifar10 import load_cifar10, subset
from cifar_resnet.data import BatchedLoader, cifar10_loaders
from cifar_resnet.custom_resnet import CustomResNet
from cifar_resnet.train import fit, one_cycle
from cifar_resnet.inference import device_name

def sync(dev):
    if dev == 'cuda': torch.cuda.synchronize()

def reference(data, bs, steps, dev, warmup=2):
    "Images/s of the plain loop over `steps` batches after `warmup` batches"
    torch.manual_seed(0)
    model = CustomResNet().to(dev)
    dl, _ = cifar10_loaders(data, batch_size=bs)
    opt = torch.optim.Adam(model.parameters(), lr=4e-4)
    sched = one_cycle(opt, 4e-4, 4e-3, len(dl), epochs=2, peak_epoch=1)
    crit = nn.CrossEntropyLoss()
    model.train()
    it = iter(dl)
    for i in range(warmup + steps):
        if i == warmup: sync(dev); t0 = time.perf_counter()
        xb, yb = next(it)
        xb, yb = xb.to(dev), yb.to(dev)
        loss = crit(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    loss.item(); sync(dev)
    return steps*bs/(time.perf_counter()-t0)

def fast(data, bs, steps, dev, compile=False):
    "Images/s of `fit`'s training (an epoch of `steps` batches, evaluation excluded), after a warm-up epoch"
    torch.manual_seed(0)
    model = CustomResNet()
    tl = BatchedLoader(data.x_train[:bs*steps], data.y_train[:bs*steps], batch_size=bs, device=dev)
    vl = BatchedLoader(data.x_test[:bs], data.y_test[:bs], batch_size=bs, train=False, device=dev)
    h = fit(model, tl, vl, lr_min=4e-4, lr_max=4e-3, epochs=2, peak_epoch=1, device=dev, compile=compile, progress=False, log=None)
    return steps*bs/h['epochs'][1]['seconds']   # the second epoch: warm (and compiled) already

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('--steps', type=int, default=8); p.add_argument('--batch-size', type=int, default=128)
    p.add_argument('--device', nargs='*', default=['cpu'] + (['cuda'] if torch.cuda.is_available() else []), help='devices to measure on')
    p.add_argument('--compile', action='store_true'); a = p.parse_args()
    d = subset(load_cifar10(os.environ.get('CIFAR10_DIR')), a.batch_size*(a.steps+2), a.batch_size)
    for dv in a.device:
        r, f = reference(d, a.batch_size, a.steps, dv), fast(d, a.batch_size, a.steps, dv, a.compile)
        print(f'CustomResNet training step, batch {a.batch_size}, {a.steps} timed steps, {device_name(dv)}, torch {torch.__version__}')
        print(f'  reference (DataLoader + albumentations, fp32): {r:10,.1f} images/s')
        print(f'  fit + BatchedLoader{" + compile" if a.compile else ""}{" (bf16, channels_last)" if dv == "cuda" else ""}: {f:10,.1f} images/s')
        print(f'  ratio fast/reference: {f/r:.2f}x')
