"""Check the house rules that a reader of the code relies on, in the package, the tools, the benchmarks and the notebooks' code.

    python tools/check_style.py      # prints each breach; exits 1 if there is any

- no line over 160 characters, and none over 120 in the package (but nbdev's `__all__` and its generated index);
- no module over 400 lines (nbdev's generated index aside; past that a module is split where its concerns part), and no notebook
  over 500 lines of code (a module of up to 400 lines with its examples);
- in the package, no function over 30 lines and none with more than 10 parameters (`self` aside);
- a call with more than six arguments passes every argument after the third by keyword;
- no module, tool or benchmark uses another module's private name (imported from it, or as an attribute of it);
- no notebook's Markdown cell is over 250 words;
- at least 70% of the cells that export code (imports aside) are followed by an example or a test before the next export;
- each module is named as the notebook that exports it (`nbs/foundations/02_cifar10` -> `cifar10`), but 01_model's
  `custom_resnet`, as the assignment names it; and every module comes from a notebook;
- one statement to a line in the package: no `;` joins;
- the spec's numbers are written once, in `core.Spec`: no other default in the package (a parameter's, a field's, an option's)
  writes its 24 epochs, its peak at epoch 5 or its batch of 512;
- imports follow the numbering: a story notebook (nbs/NN_*) and its module use only earlier story modules and the foundations
  (nbs/foundations/NN_*), and a foundation only earlier foundations; a foundations notebook that exports nothing (the command's
  hard cases) tests the story and may import it.
"""
import ast, io, json, re, sys, tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ('testing', 'core', 'cifar10', 'data', 'inference', 'custom_resnet', 'lrfind', 'checkpoint', 'learner', 'ema', 'train',
           'predict', 'analysis', 'cli', 'app', 'sweep')
NOTEBOOKS = lambda: sorted((ROOT/'nbs').glob('**/*.ipynb'))   # the story's, the foundations' and the others

def sources() -> list:
    "`(where, code)` of every Python source: the modules (but the generated index), tools, benchmarks, and notebook code cells"
    out = [(str(p.relative_to(ROOT)), p.read_text()) for d in ('cifar_resnet', 'tools', 'benchmarks') for p in sorted((ROOT/d).glob('*.py'))
           if p.name != '_modidx.py']
    for nb in NOTEBOOKS():
        for i, c in enumerate(json.loads(nb.read_text())['cells']):
            if c['cell_type'] == 'code': out.append((f'{nb.relative_to(ROOT)} cell {i}', ''.join(c['source'])))
    return out

def long_lines(where:str, code:str) -> list:
    return [f'{where}:{i}: {len(l)} characters' for i, l in enumerate(code.splitlines(), 1) if len(l) > 160]

def positional_calls(where:str, code:str) -> list:
    "Calls of more than six arguments with a positional one after the third"
    code = '\n'.join('' if l.lstrip().startswith(('!', '%')) else l for l in code.splitlines())   # shell and magic lines
    try: tree = ast.parse(code)
    except SyntaxError: return []
    bad = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and len(n.args) + len(n.keywords) > 6 and len(n.args) > 3:
            bad.append(f'{where}:{n.lineno}: a call of {len(n.args) + len(n.keywords)} arguments with {len(n.args)} positional: {ast.unparse(n.func)}')
    return bad

def own_modules() -> dict:
    "The module each notebook exports to (its `#| default_exp`), by the notebook's path"
    out = {}
    for nb in NOTEBOOKS():
        m = re.search(r'#\|\s*default_exp\s+(\w+)', nb.read_text())
        out[str(nb.relative_to(ROOT))] = m.group(1) if m else None
    return out
OWN = own_modules()

def private_names(where:str, code:str) -> list:
    "Uses of another module's `_private` name (a notebook may use its own module's)"
    own = OWN.get(where.split()[0]) if where.startswith('nbs/') else Path(where.split()[0]).stem
    pat = r'(?:cifar_resnet\.|\b)(' + '|'.join(MODULES) + r')\.(_[a-zA-Z]\w*)|from cifar_resnet\.(\w+) import ([^\n]*)'
    bad = []
    for m in re.finditer(pat, code):
        if m.group(1) and m.group(1) != own: bad.append(f'{where}: {m.group(1)}.{m.group(2)}')
        if m.group(3) and m.group(3) != own:
            bad += [f'{where}: from cifar_resnet.{m.group(3)} import {n}' for n in re.findall(r'\b_[a-zA-Z]\w*', m.group(4))]
    return bad

def long_markdown() -> list:
    out = []
    for nb in NOTEBOOKS():
        for i, c in enumerate(json.loads(nb.read_text())['cells']):
            if c['cell_type'] == 'markdown' and (n := len(''.join(c['source']).split())) > 250: out.append(f'{nb.relative_to(ROOT)} cell {i}: {n} words')
    return out

def is_export(src:str) -> bool: return re.match(r'#\|\s*export', src) is not None

def examples_after_exports() -> tuple:
    "How many export cells (imports aside) the next code cell follows with an example or test, and how many there are"
    shown = total = 0
    for nb in NOTEBOOKS():
        code = [''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']
        for src, nxt in zip(code, code[1:] + ['']):
            body = src.split('\n')[1:]
            if not is_export(src) or all(re.match(r'(#|from |import |os\.environ|$)', l) for l in body): continue
            total += 1; shown += bool(nxt) and not is_export(nxt) and 'nbdev_export' not in nxt
    return shown, total

def import_order() -> list:
    "Imports of a later notebook's module, or of the story by a foundation, in the package and in the notebooks' code"
    order = {}   # module -> (section, number): the story is section 0, the foundations 1
    for nb in NOTEBOOKS():
        rel = str(nb.relative_to(ROOT)); m = re.match(r'nbs/(foundations/)?(\d+)_', rel)
        if m and OWN.get(rel): order[OWN[rel]] = (int(bool(m.group(1))), int(m.group(2)))
    def allowed(mine, used):
        if used == mine or used not in order: return True
        (ms, mn), (us, un) = order[mine], order[used]
        return us == 1 or un < mn if ms == 0 else us == 1 and un < mn   # the story: foundations or earlier story; a foundation: earlier ones
    bad = []
    for mod in order:
        code = (ROOT/'cifar_resnet'/f'{mod}.py').read_text()
        bad += [f'cifar_resnet/{mod}.py imports {u}' for u in imported(code) if not allowed(mod, u)]
    for nb in NOTEBOOKS():
        rel = str(nb.relative_to(ROOT)); mine = OWN.get(rel)
        if mine not in order: continue   # the index, colab, and the cases notebook that exports nothing
        cells = [''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']
        bad += [f'{rel} imports cifar_resnet.{u}' for u in set().union(*map(imported, cells)) if not allowed(mine, u)]
    return bad

def package_rooms() -> list:
    "Package lines over 120 characters, functions over 30 lines, and functions with more than 10 parameters"
    bad = []
    for f in sorted((ROOT/'cifar_resnet').glob('*.py')):
        if f.name == '_modidx.py': continue
        code, rel = f.read_text(), f.relative_to(ROOT)
        tree = ast.parse(code)
        exports = {i for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], 'id', None) == '__all__'
                   for i in range(n.lineno, n.end_lineno + 1)}   # nbdev writes `__all__`
        bad += [f'{rel}:{i}: {len(l)} characters (at most 120)' for i, l in enumerate(code.splitlines(), 1)
                if len(l) > 120 and i not in exports]
        for n in ast.walk(tree):
            if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)): continue
            a = n.args; names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs] + [x.arg for x in (a.vararg, a.kwarg) if x]
            if (k := len([x for x in names if x not in ('self', 'cls')])) > 10: bad.append(f'{rel}:{n.lineno}: {n.name} takes {k} parameters (at most 10)')
            if (k := n.end_lineno - n.lineno + 1) > 30: bad.append(f'{rel}:{n.lineno}: {n.name} is {k} lines long (at most 30)')
    return bad

def sizes() -> list:
    "Modules over 400 lines and notebooks over 500 lines of code: rooms to split"
    bad = [f'{f.relative_to(ROOT)}: {n} lines (at most 400)' for f in sorted((ROOT/'cifar_resnet').glob('*.py'))
           if f.name != '_modidx.py' and (n := len(f.read_text().splitlines())) > 400]
    for nb in NOTEBOOKS():
        n = sum(len(''.join(c['source']).splitlines()) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code')
        if n > 500: bad.append(f"{nb.relative_to(ROOT)}: {n} lines of code (at most 500)")
    return bad

def imported(code:str) -> set:
    "The library's modules that `code` imports, at the top or inside a function (import statements only, not text in strings)"
    try: tree = ast.parse(code)
    except SyntaxError: return set()   # a cell of shell or magics
    mods = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Import): mods |= {a.name.split('.')[1] for a in n.names if a.name.startswith('cifar_resnet.')}
        elif isinstance(n, ast.ImportFrom) and n.level == 1 and n.module: mods.add(n.module.split('.')[0])
        elif isinstance(n, ast.ImportFrom) and n.module and n.module.startswith('cifar_resnet.'): mods.add(n.module.split('.')[1])
        elif isinstance(n, ast.ImportFrom) and n.module == 'cifar_resnet': mods |= {a.name for a in n.names}
    return mods

NAMED_APART = {'nbs/01_model.ipynb': 'custom_resnet'}   # the assignment's name for the network's module

def module_names() -> list:
    "Modules not named as the notebook that exports them, and modules no notebook exports"
    bad = []
    for rel, mod in OWN.items():
        want = NAMED_APART.get(rel, re.sub(r'^\d+_', '', Path(rel).stem))
        if mod and mod != want: bad.append(f'{rel} exports cifar_resnet.{mod}: name it {want}, as the notebook')
    made = set(OWN.values())
    bad += [f'cifar_resnet/{f.name}: no notebook exports it' for f in sorted((ROOT/'cifar_resnet').glob('*.py'))
            if f.stem not in made and f.name not in ('__init__.py', '_modidx.py')]
    return bad

def package_trees() -> list:
    "`(relative path, source, tree)` of the package's modules, nbdev's generated index aside"
    out = []
    for f in sorted((ROOT/'cifar_resnet').glob('*.py')):
        if f.name != '_modidx.py': out.append((f.relative_to(ROOT), f.read_text(), ast.parse(f.read_text())))
    return out

def joined_statements() -> list:
    "`;` joins in the package: one statement to a line"
    bad = []
    for rel, code, _ in package_trees():
        toks = tokenize.generate_tokens(io.StringIO(code).readline)
        bad += [f'{rel}:{t.start[0]}: two statements on one line (`;`)' for t in toks if t.type == tokenize.OP and t.string == ';']
    return bad

SPEC_NUMBERS = {'epochs': 24, 'peak_epoch': 5, 'batch_size': 512}   # by the name of the parameter, field or option

def defaults(tree) -> list:
    "`(name, default)` of every function parameter, dataclass field and command-line option with a default"
    out = []
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = n.args
            out += list(zip([x.arg for x in a.posonlyargs + a.args][::-1], a.defaults[::-1]))
            out += [(x.arg, d) for x, d in zip(a.kwonlyargs, a.kw_defaults) if d]
        elif isinstance(n, ast.AnnAssign) and n.value is not None and isinstance(n.target, ast.Name): out.append((n.target.id, n.value))
        elif isinstance(n, ast.Call) and n.args and isinstance(n.args[0], ast.Constant) and str(n.args[0].value).startswith('--'):
            out += [(n.args[0].value[2:].replace('-', '_'), k.value) for k in n.keywords if k.arg == 'default']
    return out

def spec_numbers() -> list:
    "Defaults that write the spec's 24 epochs, peak at 5 or batch of 512 again instead of reading `SPEC` (core's `Spec`)"
    bad = []
    for rel, _, tree in package_trees():
        for n in ast.walk(tree):
            if isinstance(n, ast.ClassDef) and n.name == 'Spec': n.body = []   # the one place they are written
        bad += [f'{rel}:{v.lineno}: {k}={v.value}: read it from SPEC' for k, v in defaults(tree)
                if k in SPEC_NUMBERS and isinstance(v, ast.Constant) and v.value == SPEC_NUMBERS[k]]
    return bad

if __name__ == '__main__':
    problems = long_markdown() + import_order() + sizes() + package_rooms() + module_names() + joined_statements() + spec_numbers()
    shown, total = examples_after_exports()
    if shown < 0.7*total: problems.append(f'only {shown} of {total} export cells are followed by an example or a test: at least 70% should be')
    print(f'{shown} of {total} export cells ({shown/total:.0%}) are followed by an example or a test')
    for where, code in sources(): problems += long_lines(where, code) + positional_calls(where, code) + private_names(where, code)
    for p in problems: print(p)
    print(f'check_style: {len(problems)} problems')
    sys.exit(1 if problems else 0)
