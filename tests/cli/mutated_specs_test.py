"""`convc check` on specs mutated at random from the project's own: every one must be accepted
(exit 0) or refused with an error that names the file (exit 2). A crash, a hang or any other
exit fails the test, which prints the spec that caused it.

The mutations are what a hand-edited YAML file goes through: a value replaced by one of the
wrong kind, size or sign (or a YAML oddity: anchors, aliases, tags, block scalars), a line
deleted, duplicated, re-indented or cut short, a key renamed, a stray punctuation mark.

Usage: mutated_specs_test.py --convc PATH [--seed N] [--count N]
"""
import argparse
import glob
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

VALUES = ['-1', '0', '1', '2', '3', '99999999999', '1e309', '-0', '0x10', '.5', 'nan', '.inf', 'null', '~',
          "''", '"same"', 'same', 'valid', '[1, 2]', '[1, 2, 3]', '[]', '{}', '[[1]]', '{a: 1}', 'true', 'false',
          'reflect', 'circular', 'replicate', 'zeros', '!!binary AAAA', '&a 1', '*a', '*b', '<<: *a', '|', '>',
          '- x', '\t', 'é', '2147483648', '-2147483649', '4294967296', '9223372036854775808', '[1, 1, 1, 1]',
          '[0, 1, 1, 1]', '[1, 3, 100000, 100000]', 'nhwc', 'nchw', 'conv2d', 'depthwise']
KEYS = ['name', 'layers', 'op', 'in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation',
        'groups', 'bias', 'padding_mode', 'input_shape', 'layout', 'dtype']
MARKS = ['', ':', '-', '[', ']', '{', '}', '"', "'", '#', ' ', '\t', '&', '*']


def replace_value(lines, i, rng):
    if ':' in lines[i]:
        lines[i] = lines[i][:lines[i].index(':') + 1] + ' ' + rng.choice(VALUES)


def rename_key(lines, i, rng):
    for key in KEYS:
        if key in lines[i]:
            lines[i] = lines[i].replace(key, rng.choice(KEYS))
            return


def stray_mark(lines, i, rng):
    if lines[i]:
        p = rng.randrange(len(lines[i]))
        lines[i] = lines[i][:p] + rng.choice(MARKS) + lines[i][p + 1:]


def mutate(text, rng):
    lines = text.split('\n')
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        kind = rng.randrange(8)
        if kind == 0:
            replace_value(lines, i, rng)
        elif kind == 1:
            del lines[i]
        elif kind == 2:
            lines.insert(i, rng.choice(lines))
        elif kind == 3:
            lines.insert(i, ' ' * rng.choice([0, 2, 4, 6]) + rng.choice(KEYS) + ': ' + rng.choice(VALUES))
        elif kind == 4:
            stray_mark(lines, i, rng)
        elif kind == 5:
            lines[i] = ' ' * rng.randint(1, 3) + lines[i]
        elif kind == 6:
            lines = lines[:i]
        else:
            rename_key(lines, i, rng)
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--convc', required=True)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--count', type=int, default=150)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sources = sorted(glob.glob(os.path.join(ROOT, 'specs', '**', '*.yaml'), recursive=True) +
                     glob.glob(os.path.join(ROOT, 'tests', '**', '*.yaml'), recursive=True))
    texts = [open(p, encoding='utf-8').read() for p in sources]
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        spec = os.path.join(scratch, 'mutated.yaml')
        for n in range(args.count):
            text = mutate(rng.choice(texts), rng)
            with open(spec, 'w', encoding='utf-8') as f:
                f.write(text)
            try:
                r = subprocess.run([args.convc, 'check', spec], capture_output=True, text=True, errors='replace',
                                   timeout=60)
            except subprocess.TimeoutExpired:
                r = None
            refused = r is not None and r.returncode == 2 and 'error' in r.stderr and spec in r.stderr
            if r is None or not (r.returncode == 0 or refused):
                failures += 1
                how = 'hung' if r is None else f'exit {r.returncode}: {r.stderr[-400:]}'
                print(f'case {n}: {how}\n--- spec ---\n{text}\n------------', file=sys.stderr)
    print(f'{args.count} mutated specs, {failures} not accepted or refused cleanly')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
