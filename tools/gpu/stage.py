"""Stage a session on the lent GPU machine: CIFAR-10 in zips that fit its calls, and the wheels its image lacks.

    python tools/gpu/stage.py [--data DIR]   # stage .gpu/ (git-ignored) and print the calls that carry it over
    python tools/gpu/stage.py --print        # only print the wheels' list
    python tools/gpu/stage.py --python 3.11 --dest DIR    # the same wheels for another Python (tools/gpu/dryrun.sh)

The machine has no network, and each call carries at most 64 MiB (disk blocks) of the working tree and what it names in
`carry`; it lays the checkout out anew, so the data is unpacked outside it, in /root/data, where it lasts while the machine
stays warm. CIFAR-10's 60,000 PNGs (about 140 MB) go as stored zips of whole class folders, each small enough to travel
beside this checkout and the wheels; the last call unpacks the last zip and starts `tools/gpu/session.sh`.

The wheels' list is worked out, not written down: the requirements of the installed `cifar_resnet` (settings.ini's
`requirements`, not dev or app), and theirs in turn, at the versions installed here, less what the image holds
(`tools/gpu/image.txt`); torch and torchvision are always the image's own (its CUDA build). A hand-written list went stale
twice: it lacked safetensors when runs began to write `model.safetensors`, and grad-cam and ttach when they began to draw
`mistakes.png`, and either would have failed a GPU run after its training. PyPI has grad-cam only as source: its wheel is
built here, and must then be pure Python.
This replaces `../shared/tools/gpu-stage`, whose three zips no longer fit beside this checkout (16 MB since the model ships)
and which stages no wheel at all, and says nothing, when one of them is not on PyPI.
"""
import argparse, os, subprocess, sys, tempfile, zipfile
from importlib import metadata
from pathlib import Path
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
STAGE = ROOT/'.gpu'                 # ignored by .gitignore: it travels only when a call names it in `carry`
CALL_LIMIT = 64 * 2**20             # what one call may carry, in disk blocks
PLATFORMS = ['manylinux2014_x86_64', 'manylinux1_x86_64'] + [f'manylinux_2_{n}_x86_64' for n in (17, 24, 27, 28, 31, 34, 35)]

def image_packages(fn=ROOT/'tools'/'gpu'/'image.txt') -> set:
    "Canonical names of the packages the GPU machine's image already holds"
    lines = (l.strip() for l in Path(fn).read_text().splitlines())
    return {canonicalize_name(l) for l in lines if l and not l.startswith('#')} | {'torch', 'torchvision'}

def needed(root='cifar_resnet', # the installed distribution whose requirements are followed
           have=frozenset(), # canonical names already there: neither staged nor followed further
           python='3.12', # the Python version that requirement markers are evaluated for
          ) -> dict:
    "`{name: version}` of every installed requirement of `root`, transitively, that `have` lacks (extras are not followed)"
    env, todo, found = dict(python_version=python, python_full_version=python + '.0', sys_platform='linux',
                            platform_system='Linux', platform_machine='x86_64', extra=''), [root], {}
    while todo:
        for r in map(Requirement, metadata.requires(todo.pop()) or []):
            name = canonicalize_name(r.name)
            if name in have or name in found or (r.marker and not r.marker.evaluate(env)): continue
            found[name] = metadata.version(name)   # a requirement not installed here is a broken install: let it raise
            todo.append(name)
    return dict(sorted(found.items()))

def pins(python='3.12') -> list:
    "`name==version` for each package to stage"
    return [f'{n}=={v}' for n, v in needed(have=image_packages(), python=python).items()]

def _pip(args:list) -> str:
    "Run pip with `args`, quietly: '' if it succeeded, else what it said"
    r = subprocess.run([sys.executable, '-m', 'pip', *args], capture_output=True, text=True)
    return '' if r.returncode == 0 else r.stderr.strip() or f'pip exited {r.returncode}'

def _key(pin) -> tuple:
    "`(canonical name, Version)` of `name==version`"
    name, version = pin.split('==')
    return canonicalize_name(name), Version(version)

def has_wheel(pin, dest) -> bool:
    "Whether `dest` holds a wheel of `pin` (`name==version`)"
    return any(parse_wheel_filename(f.name)[:2] == _key(pin) for f in Path(dest).glob('*.whl'))

def fetch(pins, dest, python):
    "A wheel of each of `pins` in `dest`, for `python` on x86-64 Linux: PyPI's where it has one, else built here"
    Path(dest).mkdir(parents=True, exist_ok=True)
    target = ['--python-version', python, '--implementation', 'cp', *[a for p in PLATFORMS for a in ('--platform', p)]]
    for pin in (p for p in pins if not has_wheel(p, dest)):
        err = _pip(['download', '-q', '--no-deps', '--only-binary=:all:', *target, '-d', str(dest), pin])
        # grad-cam publishes only its source: the wheel of a pure-Python package, built here, installs on any Python 3
        if err and (err2 := _pip(['wheel', '-q', '--no-deps', '-w', str(dest), pin])): sys.exit(f'stage.py: no wheel of {pin}\n{err}\n{err2}')
    local = [f.name for f in Path(dest).glob('*.whl') if any(t.platform == 'linux_x86_64' for t in parse_wheel_filename(f.name)[3])]
    if local: sys.exit(f'stage.py: {local} hold code compiled here, which the GPU machine may not load')
    with tempfile.TemporaryDirectory() as t:   # install them as the machine will, for its Python: one version of each, tags that fit
        wheels = [str(f) for f in Path(dest).glob('*.whl')]
        if err := _pip(['install', '-q', '--no-index', '--no-deps', '--no-compile', '--only-binary=:all:', *target, '--target', t, *wheels]):
            sys.exit(f'stage.py: the wheels in {dest} do not install together on Python {python}:\n{err}')

def disk_bytes(paths) -> int:
    "What `paths` take on disk, in blocks, as the call's limit counts them"
    return sum(os.stat(p).st_blocks * 512 for p in paths)

def tree_bytes() -> int:
    "Disk bytes of the working tree that every call sends: tracked files, and untracked ones git does not ignore"
    names = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z'], cwd=ROOT, capture_output=True, check=True).stdout
    return disk_bytes(ROOT/n for n in names.decode().split('\0') if n and (ROOT/n).is_file())

def zipped_bytes(d:Path, data:Path) -> int:
    "The bytes that `d`'s PNGs take in a stored zip: each file, its name twice (local header, directory) and 76 bytes of headers"
    return sum(p.stat().st_size + 76 + 2*len('cifar10/' + str(p.relative_to(data))) for p in d.rglob('*.png'))

def pack(folders, sizes, budget) -> list:
    "`folders` in their order, grouped so that each group's `sizes` add up to at most `budget`"
    groups, total = [[]], 0
    for d, n in zip(folders, sizes):
        if n > budget: sys.exit(f'stage.py: {d} alone takes {n/2**20:.0f} MiB, over the {budget/2**20:.0f} MiB a call has room for')
        if total + n > budget: groups.append([]); total = 0
        groups[-1].append(d); total += n
    return groups

def stage_data(data:Path, budget:int) -> list:
    "CIFAR-10's class folders in stored zips of at most `budget` bytes each, in `STAGE`, named so in the zips: `cifar10/...`"
    for old in STAGE.glob('data*.zip'): old.unlink()
    folders = sorted((data/'train').iterdir()) + [data/'test']
    zips = []
    for i, group in enumerate(pack(folders, [zipped_bytes(d, data) for d in folders], budget - 2**16), 1):   # 64 KiB for the zip's end
        z = STAGE/f'data{i}.zip'
        with zipfile.ZipFile(z, 'w', zipfile.ZIP_STORED) as f:   # PNGs are compressed already
            for d in group:
                for p in sorted(d.rglob('*.png')): f.write(p, 'cifar10/' + str(p.relative_to(data)))
        assert disk_bytes([z]) <= budget, f'{z} takes {disk_bytes([z])} bytes, over {budget}'
        zips.append(z)
    return zips

def calls(zips) -> str:
    "The device calls, back to back, that carry the staged files and run the session"
    unzip = "python3 -c \"import zipfile; zipfile.ZipFile('.gpu/{}').extractall('/root/data')\""
    lines = [f'{i}. carry [".gpu/{z.name}"]: {unzip.format(z.name)} && nvidia-smi -L' for i, z in enumerate(zips[:-1], 1)]
    last = zips[-1].name
    lines.append(f'{len(zips)}. carry [".gpu/{last}", ".gpu/whl"], timeout_s 600: {unzip.format(last)} && '
                 'OUT="$OUT" bash tools/gpu/session.sh check spec ref profile')
    lines.append(f'{len(zips) + 1}. carry [".gpu/whl"], if time is left: OUT="$OUT" bash tools/gpu/session.sh rules smoothing fp16')
    return '\n'.join(lines)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', type=Path, default=os.environ.get('CIFAR10_DIR'), help='the CIFAR-10 ImageFolder (default: $CIFAR10_DIR)')
    p.add_argument('--print', action='store_true', help="print the wheels' list and stage nothing")
    p.add_argument('--python', default='3.12', help="the Python of the wheels (the image's is 3.12)")
    p.add_argument('--dest', type=Path, help='download the wheels here, and stage nothing else')
    a = p.parse_args()
    ps = pins(a.python)
    if a.print: return print(*ps, sep='\n')
    if a.dest: fetch(ps, a.dest, a.python); return print(f'{len(ps)} wheels in {a.dest}')
    if a.data is None: sys.exit('stage.py: give --data, the CIFAR-10 ImageFolder, or set CIFAR10_DIR')
    if not (a.data/'train').is_dir() or not (a.data/'test').is_dir(): sys.exit(f'stage.py: --data {a.data} has no train/ and test/ folders')
    wanted = set(map(_key, ps))
    for f in (STAGE/'whl').glob('*.whl'):   # an older stage's: two versions of one package stop the whole install there
        if parse_wheel_filename(f.name)[:2] not in wanted: f.unlink()
    fetch(ps, STAGE/'whl', a.python)
    tree = tree_bytes()
    budget = CALL_LIMIT - tree - disk_bytes((STAGE/'whl').glob('*.whl')) - 2**20   # any zip may go with the wheels
    zips = stage_data(a.data, budget)
    print(f'staged in .gpu/: {len(ps)} wheels, CIFAR-10 in {len(zips)} zips of at most {budget/2**20:.1f} MiB '
          f'(the tree is {tree/2**20:.1f} MiB). The calls, back to back (the machine goes back after 30 s idle):')
    print(calls(zips))

if __name__ == '__main__': main()
