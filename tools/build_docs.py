"""Build the docs site as static HTML without Quarto: index and every notebook, with their outputs and images.

    python tools/build_docs.py --out _docs

Notebooks are processed by nbdev exactly as for `nbdev_docs` (`nbdev.serve.proc_nbs`: directives, hidden and
exported cells, show_doc), then converted by nbconvert with images embedded, and every page gets a navigation
bar linking all pages. Where Quarto exists, `nbdev_docs` builds the real site (and the deploy workflow does).
"""
import json, argparse, re, html, shutil
from pathlib import Path
import nbformat, yaml
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbdev.config import get_config
from nbdev.serve import proc_nbs

NAV_CSS = """<style>
nav.site{position:sticky;top:0;z-index:10;background:#2c3e50;padding:.6rem 1rem;font-family:sans-serif}
nav.site a{color:#ecf0f1;margin-right:1.2rem;text-decoration:none}
nav.site span.section{color:#95a5a6;margin-right:.6rem;font-size:85%}
nav.site a.here{font-weight:bold;text-decoration:underline}
header.page{padding:1rem 2rem 0 2rem;font-family:sans-serif}header.page p.summary{font-style:italic;opacity:.75;font-size:120%}
</style>"""

def pages(nbs:Path) -> list:
    "`(path, section, text)` of the site's notebooks, in the order, sections and words of `sidebar.yml` (Quarto's sidebar)"
    def walk(items, sec=None):
        for it in items:
            if isinstance(it, str): yield nbs/it, sec, None
            elif 'section' in it: yield from walk(it['contents'], it['section'])
            else: yield nbs/it['href'], sec, it.get('text')
    return list(walk(yaml.safe_load((nbs/'sidebar.yml').read_text())['website']['sidebar']['contents']))

def inline_code(text:str) -> str:
    "Escaped text with its `code` spans as <code>, as Quarto renders a title or a summary"
    return re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(text))

def front_matter(nb) -> tuple:
    "Remove the front matter and nbdev's warning cell from a processed notebook; return its title and summary"
    c = nb.cells[0] if nb.cells else None
    fm = {}
    if c is not None and c.cell_type == 'raw' and c.source.startswith('---'):
        nb.cells.pop(0)
        fm = yaml.safe_load(c.source.strip().strip('-')) or {}
    nb.cells = [c for c in nb.cells if not c.source.startswith('<!-- WARNING')]
    return str(fm.get('title', '')), str(fm.get('description', ''))

def quarto_like(nb):
    "Do what Quarto does with nbdev's cell options: hide `echo: false` inputs, drop `#|` lines and Pandoc link attributes"
    for c in nb.cells:
        if c.cell_type != 'code': continue
        if re.search(r'^#\|\s*echo:\s*false', c.source, re.M): c.metadata.setdefault('tags', []).append('remove_input')
        c.source = '\n'.join(l for l in c.source.splitlines() if not l.startswith('#|'))
        for o in c.get('outputs', []):
            md = o.get('data', {}).get('text/markdown')
            if md: o['data']['text/markdown'] = re.sub(r'\)\{[^}]*\}', ')', md)

def render(fn:Path, rel:str, pages:list, titles:dict) -> str:
    "One page: the processed notebook `rel` (its path from the notebooks' folder, no suffix) as HTML, with the navigation bar"
    nb = nbformat.read(fn, as_version=4)
    title, summary = front_matter(nb)
    quarto_like(nb)
    ex = HTMLExporter(template_name='lab', exclude_input_prompt=True, exclude_output_prompt=True)
    ex.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}, enabled=True), enabled=True)
    body, _ = ex.from_notebook_node(nb)
    body = re.sub(r'href="([\w./-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    up = '../' * rel.count('/')   # links from a page in a folder
    nav, last = ['<nav class="site">'], None
    for r, sec in pages:
        if sec != last and sec: nav.append(f'<span class="section">{html.escape(sec)}:</span>')
        last = sec
        nav.append(f'<a href="{up}{r}.html"{" class=here" if r == rel else ""}>{html.escape(titles[r])}</a>')
    nav = ''.join(nav) + '</nav>'
    head = f'<header class="page"><h1>{inline_code(title)}</h1><p class="summary">{inline_code(summary)}</p></header>'
    body = re.sub(r'<title>.*?</title>', f'<title>{html.escape(title.replace("`", ""))}</title>', body, count=1, flags=re.S)
    body = body.replace('</head>', NAV_CSS + '</head>', 1)
    return re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + nav + head, body, count=1)

def nb_title(fn:Path) -> str:
    "A notebook's title, its first `# heading`, without code marks: what the navigation shows"
    first = json.loads(fn.read_text())['cells'][0]
    return ''.join(first['source']).split('\n')[0].removeprefix('# ').replace('`', '')

def build(out:Path) -> list:
    "Write every page into `out`, the foundations' into `out/foundations`; returns the files written"
    cfg = get_config()
    cache = proc_nbs(n_workers=0)
    listed = pages(Path(cfg.nbs_path))
    srcs = [cache/p.relative_to(cfg.nbs_path) for p, _, _ in listed]
    rels = [str(p.relative_to(cache).with_suffix('')) for p in srcs]
    nav = [(r, sec) for r, (_, sec, _) in zip(rels, listed)]
    # by the sidebar's words (a title and its module), else the notebook's title, as Quarto's sidebar
    titles = {r: 'Home' if r == 'index' else text or nb_title(p) for (p, _, text), r in zip(listed, rels)}
    written = []
    for p, r in zip(srcs, rels):
        (out/r).parent.mkdir(parents=True, exist_ok=True)
        (out/f'{r}.html').write_text(render(p, r, nav, titles)); written.append(out/f'{r}.html')
    if (Path(cfg.nbs_path)/'images').is_dir():   # images that markdown cells link to, as Quarto copies them
        shutil.copytree(Path(cfg.nbs_path)/'images', out/'images', dirs_exist_ok=True); written.append(out/'images')
    return written

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--out', default='_docs'); a = ap.parse_args()
    for f in build(Path(a.out)): print('wrote', f)
