"""Run the Colab notebook's cells (nbs/colab.ipynb) on CPU, offline, with its settings made tiny, and check what they made.

    python tools/test_colab.py          # needs CIFAR10_DIR; about a minute and a half on 2 cores
    python tools/test_colab.py --save   # a larger CPU run whose outputs are saved into the notebook, labelled as such

nbdev_test skips that notebook (it installs from GitHub and trains the full spec on a GPU). This runs every code cell but the
`!pip install` in a fresh folder: the API path of a Colab user, `load_cifar10` -> `batched_loaders` -> `find_lr` -> `fit`
-> `get_preds` with flip TTA -> the analysis figures, on the real model and real data, with 2 epochs on 1,024 images
(`--save`: the cells as they are, which choose a small run of their own on a CPU).
"""
import os, sys, tempfile
from pathlib import Path
from execnb.nbio import read_nb
from execnb.shell import CaptureShell

SETTINGS = 'GPU = torch.cuda.is_available()'   # how the settings cell starts
TINY = 'GPU = False\nEPOCHS, BATCH, LR_STEPS, SUBSET = 2, 128, 20, 1024'   # CI's: tinier than the notebook's own CPU run
LABEL = 'The outputs below'   # how the saved outputs' label starts
CHECK = """
assert len(hist['epochs']) == EPOCHS and len(hist['steps']['lr']) == EPOCHS*len(train), hist['epochs']
assert probs.shape == (SUBSET//5, 10) and tta_probs.shape == probs.shape
assert abs(accuracy(probs, targets) - hist['epochs'][-1]['test_acc']) < 1e-6
assert 0 < lr.lr_min < lr.lr_max and Path('run/last.pt').exists()
import matplotlib.pyplot as plt; assert len(plt.get_fignums()) >= 6, plt.get_fignums()
print(f"colab path: {lr}; test accuracy {accuracy(probs, targets):.4f}, flip TTA {accuracy(tta_probs, targets):.4f}, {len(plt.get_fignums())} figures")
"""

def main(save=False):
    if not os.environ.get('CIFAR10_DIR'): sys.exit('test_colab: set CIFAR10_DIR (the notebook would download CIFAR-10)')
    fn = Path(__file__).parent.parent/'nbs'/'colab.ipynb'
    nb = read_nb(fn)
    code = [c for c in nb.cells if c.cell_type == 'code' and not c.source.lstrip().startswith('!')]
    settings = [c for c in code if c.source.startswith(SETTINGS)]
    assert len(settings) == 1, f'colab.ipynb: expected one cell starting with {SETTINGS!r}'
    if not save: settings[0].source = TINY   # --save runs the cells as they are: on this CPU, the notebook's own small run
    start = os.getcwd()
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        try: outs = run_cells(code, save)
        finally: os.chdir(start)   # out of the folder before it goes: IPython's exit handler asks for the working folder
    if save: save_outputs(fn, nb, code, outs)

def run_cells(code, save=False) -> list:
    "Run the notebook's code cells, then CHECK, in one shell in the current folder; each cell's outputs"
    sh, outs = CaptureShell(mpl_format='png'), []
    if save: sh.run("from pathlib import Path\nimport matplotlib.pyplot as plt; plt.rcParams['figure.dpi'] = 72")   # inline figures, light
    else: sh.run('from pathlib import Path\nimport matplotlib; matplotlib.use("Agg")')                               # figures kept open, counted
    check = CHECK.replace('assert len(plt.get_fignums()) >= 6, plt.get_fignums()', 'pass') if save else CHECK   # inline figures are closed: counted below
    for src in [c.source for c in code] + [check]:
        out = sh.run(src) or []
        for o in out:
            if o.get('output_type') == 'stream': print(''.join(o['text']), end='')
        if sh.exc: raise RuntimeError(f'colab.ipynb, the cell:\n{src}') from sh.exc
        outs.append(out)
    if save: assert sum('image/png' in o.get('data', {}) for out in outs for o in out) >= 6, 'expected six figures or more'
    return outs

def settled(o:dict) -> dict:
    "A stream output as a screen shows it at the end: each progress bar's last state, not every redraw of it"
    if o.get('output_type') != 'stream': return o
    text = ''.join(o['text']) if isinstance(o['text'], list) else o['text']
    return o | dict(text='\n'.join(line.split('\r')[-1].rstrip() for line in text.split('\n')))

def save_outputs(fn:Path, nb, code:list, outs:list):
    "Write the run's outputs into the notebook, and a label saying where they came from"
    import platform, datetime, torch
    from execnb.nbio import write_nb, mk_cell
    for c, o in zip(code, outs): c.outputs = [x for x in map(settled, o) if x.get('output_type') != 'stream' or x['text'].strip()]   # bars that cleared
    settings = next(c for c in code if c.source.startswith(SETTINGS))
    label = (f"{LABEL} are from a run of these cells, as they are, on a {os.cpu_count()}-core {platform.machine()} CPU without a GPU "
             f"(torch {torch.__version__}, {datetime.date.today()}, `python tools/test_colab.py --save`): the small run the settings "
             "choose on a CPU, not the spec's. On a GPU with the spec's settings, the README's results give what to expect.")
    nb.cells = [c for c in nb.cells if not (c.cell_type == 'markdown' and c.source.startswith(LABEL))]
    at = next(i for i, c in enumerate(nb.cells) if c is settings) + 1
    nb.cells.insert(at, mk_cell(label, cell_type='markdown'))
    write_nb(nb, fn)
    print(f'saved the outputs into {fn}')

if __name__ == '__main__': main(save='--save' in sys.argv[1:])
