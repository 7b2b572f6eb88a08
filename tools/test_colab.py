"""Run the Colab notebook's cells (nbs/colab.ipynb) on CPU, offline, with its settings cell made tiny, and check what they made.

    python tools/test_colab.py          # needs CIFAR10_DIR; about a minute and a half on 2 cores

nbdev_test skips that notebook (it installs from GitHub and trains the full spec on a GPU). This runs every code cell but the
`!pip install` in a fresh folder: the API path of a Colab user, `load_cifar10` -> `batched_loaders` -> `find_lr` -> `fit`
-> `get_preds` with flip TTA -> the analysis figures, on the real model and real data, with 2 epochs on 1,024 images.
"""
import os, sys, tempfile
from pathlib import Path
from execnb.nbio import read_nb
from execnb.shell import CaptureShell

SETTINGS = 'EPOCHS, BATCH, LR_STEPS = '
TINY = 'EPOCHS, BATCH, LR_STEPS = 2, 128, 20\nSUBSET = 1024'
CHECK = """
assert len(hist['epochs']) == EPOCHS and len(hist['steps']['lr']) == EPOCHS*len(train), hist['epochs']
assert probs.shape == (SUBSET//5, 10) and tta_probs.shape == probs.shape
assert abs(accuracy(probs, targets) - hist['epochs'][-1]['test_acc']) < 1e-6
assert 0 < lr.lr_min < lr.lr_max and Path('run/last.pt').exists()
import matplotlib.pyplot as plt; assert len(plt.get_fignums()) >= 6, plt.get_fignums()
print(f"colab path: {lr}; test accuracy {accuracy(probs, targets):.4f}, flip TTA {accuracy(tta_probs, targets):.4f}, {len(plt.get_fignums())} figures")
"""

def main():
    if not os.environ.get('CIFAR10_DIR'): sys.exit('test_colab: set CIFAR10_DIR (the notebook would download CIFAR-10)')
    nb = read_nb(Path(__file__).parent.parent/'nbs'/'colab.ipynb')
    code = [c for c in nb.cells if c.cell_type == 'code' and not c.source.lstrip().startswith('!')]
    settings = [c for c in code if c.source.startswith(SETTINGS)]
    assert len(settings) == 1, f'colab.ipynb: expected one cell starting with {SETTINGS!r}'
    settings[0].source = TINY
    start = os.getcwd()
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        try: run_cells(code)
        finally: os.chdir(start)   # out of the folder before it goes: IPython's exit handler asks for the working folder

def run_cells(code):
    "Run the notebook's code cells, then CHECK, in one shell in the current folder"
    sh = CaptureShell()
    sh.run('from pathlib import Path\nimport matplotlib; matplotlib.use("Agg")')
    for src in [c.source for c in code] + [CHECK]:
        for o in sh.run(src) or []:
            if o.get('output_type') == 'stream': print(''.join(o['text']), end='')
        if sh.exc: raise RuntimeError(f'colab.ipynb, the cell:\n{src}') from sh.exc

if __name__ == '__main__': main()
