"""Record LR range-test curves, one per seed, as the command's range test runs them (`find_lr` on the seeded batched
training loader of a freshly seeded `CustomResNet`), to test the rules that read LRMIN and LRMAX off a curve.

    python benchmarks/record_lr_curves.py --out benchmarks/lr_curves --seeds 0 1 2 3 4 [--batch-size 512] [--device cuda]
        [--num-iter 100] [--start-lr 1e-7] [--end-lr 10] [--smooth-f 0.05] [--prefix NAME]

Writes `<prefix>-s<seed>.json` per seed: the curve (`lr`, `loss`), the settings, the device, torch and the seconds.
Not a test: it records measurements. On a 2-core CPU one iteration at batch 128 takes about 1.75 s.
"""
import argparse, json, os, time
from pathlib import Path
import torch
from cifar_resnet.cifar10 import load_cifar10
from cifar_resnet.data import batched_loaders
from cifar_resnet.custom_resnet import CustomResNet
from cifar_resnet.lrfind import RangeTest, find_lr
from cifar_resnet.inference import device_name
from cifar_resnet.inference import pick_precision

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--out', required=True); p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2, 3, 4])
    p.add_argument('--batch-size', type=int, default=512); p.add_argument('--num-iter', type=int, default=100)
    p.add_argument('--start-lr', type=float, default=1e-7); p.add_argument('--end-lr', type=float, default=10.)
    p.add_argument('--smooth-f', type=float, default=0.05)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu'); p.add_argument('--prefix')
    a = p.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    data = load_cifar10(os.environ.get('CIFAR10_DIR'))
    prefix = a.prefix or f"{'gpu' if a.device.startswith('cuda') else 'cpu'}-b{a.batch_size}"
    for seed in a.seeds:
        torch.manual_seed(seed)
        amp, cl = pick_precision(a.device)   # the training's precision and layout, as the command runs the test
        model = CustomResNet().to(a.device, memory_format=torch.channels_last if cl else torch.contiguous_format)
        train, _ = batched_loaders(data, a.batch_size, a.device, seed)
        t0 = time.perf_counter()
        span = RangeTest(start_lr=a.start_lr, end_lr=a.end_lr, num_iter=a.num_iter, smooth_f=a.smooth_f)
        res = find_lr(model, train, span, device=a.device, amp=amp, channels_last=cl)
        s = time.perf_counter() - t0
        rec = dict(lr=res.history['lr'], loss=res.history['loss'], seed=seed, batch_size=a.batch_size, num_iter=a.num_iter,
                   start_lr=a.start_lr, end_lr=a.end_lr, smooth_f=a.smooth_f, device=device_name(a.device), torch=torch.__version__,
                   precision=str(amp).removeprefix('torch.') if amp else 'float32',
                   seconds=round(s, 1), date=time.strftime('%Y-%m-%d'))
        (out/f'{prefix}-s{seed}.json').write_text(json.dumps(rec))
        print(f'seed {seed}: {len(res.history["lr"])} iterations in {s:.0f} s; {res}', flush=True)
