"""Write CIFAR-10 from torchvision's pickled batches as PNGs in the ImageFolder layout the tests read.

    python tools/cifar10_to_png.py --out data/cifar10 [--batches path/to/cifar-10-batches-py]

Without --batches it downloads the data set with torchvision first (for CI runners with internet, such as
GitHub's). Files are named by the batches' `filenames` field, so the result is the layout of this project's
shared copy: `train/<class>/<original-file-name>.png`, lossless, the same pixels in class then file-name order.
"""
import argparse, pickle, tempfile
from pathlib import Path
from PIL import Image
from cifar_resnet.cifar10 import CLASSES

def convert(batches:Path, out:Path):
    "Write every image of the batches in `batches` under `out`"
    for split, names in (('train', [f'data_batch_{i}' for i in range(1, 6)]), ('test', ['test_batch'])):
        for c in CLASSES: (out/split/c).mkdir(parents=True, exist_ok=True)
        for name in names:
            with open(batches/name, 'rb') as f: d = pickle.load(f, encoding='latin1')
            for row, label, fn in zip(d['data'], d['labels'], d['filenames']):
                Image.fromarray(row.reshape(3, 32, 32).transpose(1, 2, 0)).save(out/split/CLASSES[label]/fn)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--out', required=True); ap.add_argument('--batches'); a = ap.parse_args()
    batches = Path(a.batches) if a.batches else None
    if batches is None:
        import torchvision
        root = Path(tempfile.mkdtemp())
        torchvision.datasets.CIFAR10(root, train=True, download=True)
        batches = root/'cifar-10-batches-py'
    convert(batches, Path(a.out))
    print(f'wrote {sum(1 for _ in Path(a.out).rglob("*.png")):,} PNG files under {a.out}')
