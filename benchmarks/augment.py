"""Images per second of the two augmentation paths on the same real CIFAR-10 images, side by side.

    python benchmarks/augment.py [--n 10000] [--batch-size 512] [--device cpu|cuda]

albumentations: `train_transforms()` applied image by image (what a DataLoader worker does), one process.
batched: `BatchedLoader` with the same augmentation as tensor ops on whole batches on `--device`.
A benchmark, not a test: it prints figures and asserts nothing.
"""
import argparse, os, time
import torch
from cifar_resnet.cifar10 import load_cifar10
from cifar_resnet.data import train_transforms, BatchedLoader
from cifar_resnet.inference import device_name

def rate(fn, n, repeat=3):
    "Best images/second of `fn` (which augments `n` images) over `repeat` runs"
    best = float('inf')
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t0)
    return n / best

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('--n', type=int, default=10_000); p.add_argument('--batch-size', type=int, default=512)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu'); a = p.parse_args()
    d = load_cifar10(os.environ.get('CIFAR10_DIR'))
    x, y = d.x_train[:a.n], d.y_train[:a.n]
    tf = train_transforms()
    def alb(): return [tf(image=img)['image'] for img in x]
    bl = BatchedLoader(x, y, batch_size=a.batch_size, device=a.device)
    def bat():
        for xb, _ in bl: pass
        if bl.device.type == 'cuda': torch.cuda.synchronize()
    bat()  # warm-up
    r_alb, r_bat = rate(alb, a.n), rate(bat, a.n)
    print(f'{a.n} real CIFAR-10 training images, batch {a.batch_size}, {device_name(bl.device)}, torch {torch.__version__}')
    print(f'albumentations, per image : {r_alb:12,.0f} images/s')
    print(f'batched tensor ops ({bl.device.type:4}) : {r_bat:12,.0f} images/s')
    print(f'ratio batched/albumentations: {r_bat/r_alb:.1f}x')
