"""How long the LR range test takes, with the spec's settings (or fewer iterations on CPU).

    python benchmarks/lrfind.py [--num-iter 100] [--batch-size 512] [--n 50000] [--device cpu|cuda]

A benchmark, not a test: it prints figures and asserts nothing. On a 2-core CPU one step at batch 512 takes
seconds, so try e.g. `--num-iter 10 --batch-size 128 --n 5120` there.
"""
import argparse, os, time
import torch
from cifar_resnet.cifar10 import load_cifar10, subset
from cifar_resnet.data import BatchedLoader
from cifar_resnet.custom_resnet import CustomResNet
from cifar_resnet.lrfind import RangeTest, find_lr
from cifar_resnet.inference import device_name

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('--num-iter', type=int, default=100); p.add_argument('--batch-size', type=int, default=512)
    p.add_argument('--n', type=int, default=50_000); p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    a = p.parse_args()
    d = subset(load_cifar10(os.environ.get('CIFAR10_DIR')), a.n if a.n < 50_000 else None)
    torch.manual_seed(0)
    model = CustomResNet().to(a.device)
    bl = BatchedLoader(d.x_train, d.y_train, batch_size=a.batch_size, device=a.device)
    t0 = time.perf_counter()
    res = find_lr(model, bl, RangeTest(num_iter=a.num_iter))
    if a.device == 'cuda': torch.cuda.synchronize()
    s = time.perf_counter() - t0
    n = len(res.history['lr'])
    print(f'range test on {device_name(a.device)}, torch {torch.__version__}: {n}/{a.num_iter} iterations at batch {a.batch_size} in {s:.1f} s '
          f'({s/n:.2f} s/iteration); {res}')
