"""Execute notebooks in place so that their saved outputs are what their code prints now.

Cells flagged with `tst_flags` from settings.ini (`#| slow`, `#| notest`), and `#| eval: false` cells, are not run and keep their outputs:
a `#| slow` cell keeps the output of the last run that ran it (`--slow`), or none.

    python tools/run_nbs.py nbs/00_data.ipynb nbs/01_model.ipynb   # or no arguments for every notebook
    python tools/run_nbs.py --slow nbs/02_lrfind.ipynb             # the `#| slow` cells too: their outputs become this run's
"""
import sys, os, re, subprocess
from pathlib import Path
from execnb.shell import CaptureShell
from execnb.nbio import read_nb, write_nb
from nbdev.config import get_config

def flags_of(src:str) -> set:
    "The `#| flag` directives at the top of a cell"
    return {m.group(1) for m in re.finditer(r'^#\|\s*([\w-]+)', src, re.M)}

def _skip(flags):
    def _f(cell):
        if cell.cell_type != 'code': return True
        if 'nbdev_export'+'(' in cell.source: return True
        if re.search(r'^#\|\s*eval:\s*false', cell.source, re.M): return True   # nbdev does not run these either
        return bool(flags & flags_of(cell.source))
    return _f

def run(fn, flags):
    "Execute notebook `fn` in its folder and save it with its outputs"
    fn = Path(fn).resolve()
    print(f'running {fn.name}', flush=True)
    cwd = os.getcwd(); os.chdir(fn.parent)
    try:
        nb = read_nb(fn)
        skip = _skip(flags)
        for c in nb.cells:
            if not skip(c): c.outputs = []   # execnb keeps a cell's old outputs when it prints nothing now
        CaptureShell(fn, mpl_format='png').run_all(nb, exc_stop=True, preproc=skip)   # not retina: figures a quarter of the bytes
        write_nb(nb, fn)
    finally: os.chdir(cwd)

if __name__ == '__main__':
    cfg = get_config()
    flags = set(cfg.get('tst_flags', '').split())
    if '--slow' in sys.argv: sys.argv.remove('--slow'); flags.discard('slow')
    nbs = Path(cfg.nbs_path)
    fns = sys.argv[1:] or sorted(str(p) for p in [*nbs.glob('[0-9]*.ipynb'), *nbs.glob('foundations/[0-9]*.ipynb')]) + [str(nbs/'index.ipynb')]
    for f in fns: run(f, flags)
    subprocess.run(['nbdev_clean'], check=True)
