"""Check the built docs site the way a reader's browser sees it.

    python tools/check_docs.py _docs [--screenshot tools/screenshots/home.png]

Opens the home page in headless Chromium (Debian's `chromium`), takes a screenshot, checks that the rendered page
carries the site's title, that no local link or image on any page is broken, and that no code block (a signature with
its parameters' comments) shows a Markdown link as raw text. Exits 1 on a failure.
"""
import argparse, re, html, shutil, subprocess, sys, tempfile
from pathlib import Path
from urllib.parse import urlparse, unquote

FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--hide-scrollbars']

def chromium(*args) -> str:
    "Run headless Chromium with a fresh profile; its stdout"
    exe = shutil.which('chromium') or shutil.which('chromium-browser')
    if not exe: sys.exit('check_docs: chromium not found (apt-get install chromium)')
    with tempfile.TemporaryDirectory() as prof:
        r = subprocess.run([exe, *FLAGS, f'--user-data-dir={prof}', *args], capture_output=True, text=True, timeout=120)
    return r.stdout

def broken_links(site:Path) -> list:
    "Local href/src targets on any page that do not exist"
    bad = []
    for page in site.rglob('*.html'):
        for ref in re.findall(r'(?:href|src)="([^"#]+)', page.read_text()):
            u = urlparse(ref)
            if u.scheme or ref.startswith('//') or ref.startswith('data:'): continue
            if not (page.parent/unquote(u.path)).exists(): bad.append(f'{page.relative_to(site)} -> {ref}')
    return bad

def raw_links(site:Path) -> list:
    "Markdown links left as text inside highlighted code (signatures and their comments), `[`x`](https://...)`, which a reader sees as such"
    bad = []
    for page in site.rglob('*.html'):   # printed outputs (a model card printed as the file holds it) are plain <pre>, and not checked
        for block in re.findall(r'<div class="highlight"><pre>(.*?)</pre>', page.read_text(), re.S):
            text = html.unescape(re.sub(r'<[^>]+>', '', block))
            bad += [f'{page.relative_to(site)}: {l.strip()[:100]}' for l in text.splitlines() if re.search(r'\]\(https?://', l)]
    return bad

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('site'); ap.add_argument('--screenshot', default='tools/screenshots/home.png')
    a = ap.parse_args()
    site, shot = Path(a.site).resolve(), Path(a.screenshot).resolve()
    home = (site/'index.html').as_uri()
    shot.parent.mkdir(parents=True, exist_ok=True)
    chromium('--window-size=1280,1000', f'--screenshot={shot}', home)
    dom = chromium('--dump-dom', home)
    problems = []
    if not shot.exists() or shot.stat().st_size < 10_000: problems.append(f'no screenshot at {shot}')
    if '<h1>cifar_resnet</h1>' not in dom or '<title>cifar_resnet</title>' not in dom: problems.append('the home page does not show the title cifar_resnet')
    if 'nav class="site"' not in dom: problems.append('the home page has no navigation bar')
    problems += [f'broken link: {b}' for b in broken_links(site)]
    problems += [f'a Markdown link shown as text in a code block: {b}' for b in raw_links(site)]
    pages = sorted(str(p.relative_to(site)) for p in site.rglob('*.html'))
    print(f'checked {len(pages)} pages ({", ".join(pages)}); screenshot {shot}')
    for p in problems: print('FAIL', p)
    sys.exit(1 if problems else 0)
