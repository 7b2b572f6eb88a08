"""Why the README runs the tests with `OMP_NUM_THREADS=1`: two processes training at once, as `nbdev_test` runs two notebooks at
once on a 2-core machine, with one or two threads each, against the same two runs one after the other.

    python benchmarks/test_threads.py [--steps 25] [--repeat 2]
    python benchmarks/test_threads.py --spec --steps 5 --repeat 1   # two of the accuracy work's runs at once

Each process imports torch and trains a narrow CustomResNet (width 32) for `--steps` Adam steps on a random batch of 64, as
the tests do. With `--spec` it is the spec's network (width 64) at batch 512 under bf16 autocast with channels_last, as a CPU
run of the accuracy work trains. The figures are wall seconds for both processes, imports included; the ratios are what to
read. A benchmark: prints, asserts nothing.
"""
import argparse, os, subprocess, sys, time

TRAIN = '''
import torch
from cifar_resnet.custom_resnet import CustomResNet
torch.manual_seed(0); m = CustomResNet(width={width}).to(memory_format={layout}); opt = torch.optim.Adam(m.parameters())
x, y = torch.randn({bs}, 3, 32, 32).contiguous(memory_format={layout}), torch.randint(0, 10, ({bs},))
for _ in range({steps}):
    with torch.autocast('cpu', dtype=torch.bfloat16, enabled={bf16}): loss = torch.nn.functional.cross_entropy(m(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
'''
TESTS = dict(width=32, bs=64, layout='torch.contiguous_format', bf16=False)
SPEC = dict(width=64, bs=512, layout='torch.channels_last', bf16=True)

def seconds(threads:int, parallel:bool, steps:int, kind:dict=TESTS) -> float:
    "Wall seconds of two training processes of `threads` threads each, at once or one after the other"
    env, code, t0 = dict(os.environ, OMP_NUM_THREADS=str(threads)), TRAIN.format(steps=steps, **kind), time.perf_counter()
    if parallel:
        for p in [subprocess.Popen([sys.executable, '-c', code], env=env) for _ in range(2)]: p.wait()
    else:
        for _ in range(2): subprocess.run([sys.executable, '-c', code], env=env, check=True)
    return time.perf_counter() - t0

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('--steps', type=int, default=25); p.add_argument('--repeat', type=int, default=2)
    p.add_argument('--spec', action='store_true', help="the spec's network at batch 512 in bf16, as the accuracy runs train")
    a = p.parse_args(); kind = SPEC if a.spec else TESTS
    rows = (('two at once, 1 thread each', 1, True), ('two at once, 2 threads each', 2, True), ('one after the other, 2 threads', 2, False))
    print(f'{os.cpu_count()} cores; two processes of {a.steps} training steps each ({kind}); best of {a.repeat}')
    res = {name: min(seconds(t, par, a.steps, kind) for _ in range(a.repeat)) for name, t, par in rows}
    base = res[rows[0][0]]
    for name, s in res.items(): print(f'  {name:32s} {s:6.1f} s   {s/base:4.2f}x')
