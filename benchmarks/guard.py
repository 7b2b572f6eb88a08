"""What the input guard of a normalising `CustomResNet` costs: ms per forward pass of the hub model (it checks the shape and
range of its input, `raw_pixels`, then normalises) against the same weights fed images normalised outside, as training feeds
them (a training model has no mean and std, so the guard never runs there). Both in the same process, alternated.

    python benchmarks/guard.py [--batch-size 512] [--reps 20] [--device cpu]
"""
import argparse, time, statistics
import torch
from cifar_resnet.custom_resnet import CustomResNet
from cifar_resnet.cifar10 import CIFAR10_MEAN, CIFAR10_STD
from cifar_resnet.inference import device_name

def timed(f, x, reps:int) -> list:
    "Seconds of each of `reps` calls of `f(x)` under no_grad, the device synchronised around each"
    out = []
    for _ in range(reps):
        if x.is_cuda: torch.cuda.synchronize()
        t = time.perf_counter()
        with torch.no_grad(): f(x)
        if x.is_cuda: torch.cuda.synchronize()
        out.append(time.perf_counter() - t)
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--batch-size', type=int, default=512)
    p.add_argument('--reps', type=int, default=20)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    a = p.parse_args()
    torch.manual_seed(0)
    guarded = CustomResNet(mean=CIFAR10_MEAN, std=CIFAR10_STD).to(a.device).eval()
    plain = CustomResNet().to(a.device).eval()
    plain.load_state_dict(guarded.state_dict())
    x = torch.rand(a.batch_size, 3, 32, 32, device=a.device)
    mean, std = (torch.tensor(v, device=a.device).view(1, 3, 1, 1) for v in (CIFAR10_MEAN, CIFAR10_STD))
    norm = (x - mean)/std
    assert torch.allclose(guarded(x), plain(norm), atol=1e-4)
    timed(guarded, x, 2)   # warm-up
    g, n = [], []
    for _ in range(a.reps):   # alternated, so that a noisy machine slows both alike
        g += timed(guarded, x, 1)
        n += timed(plain, norm, 1)
    mg, mn = statistics.median(g), statistics.median(n)
    print(f'{device_name(torch.device(a.device))}, batch {a.batch_size}, median of {a.reps}:')
    print(f'  guarded (hub model, [0, 1] in)   {1000*mg:8.1f} ms')
    print(f'  normalised outside (training)     {1000*mn:8.1f} ms')
    print(f'  ratio                             {mg/mn:8.3f}')

if __name__ == '__main__': main()
