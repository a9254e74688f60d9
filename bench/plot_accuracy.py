#!/usr/bin/python3
"""Accuracy against patches, fixed and adaptive, from bench_accuracy's output (issue 20).

Usage: plot_accuracy.py OUT.svg [--floor FLOOR.txt] RUN.txt [RUN.txt ...]
Each RUN.txt is what `bench_accuracy N ... --adaptive N ... --seed S --no-floor` printed; rows
of the same display, target and N are averaged over the runs (seeds). FLOOR.txt, a run with the
floor on, gives each display's exact-inverse floor, drawn dashed. Writes one panel per display:
mean dE2000 (SDR) or dE ITP (PQ) against the patches measured, on a log axis, and prints the
table.
"""
import math
import sys
from collections import defaultdict


def read_floors(path):
    floors = {}  # (display, target) -> the exact inverse's mean
    for line in open(path):
        cells = line.split()
        if cells and cells[0].startswith("sim:") and "exact" in cells:
            floors[(cells[0], cells[1])] = float(cells[cells.index("exact") + 1])
    return floors


def read_runs(paths):
    values = defaultdict(list)  # (display, target, adaptive, n) -> [mean]
    for path in paths:
        for line in open(path):
            cells = line.split()
            if len(cells) < 8 or not cells[0].startswith("sim:") or cells[3] != "|":
                continue
            label = cells[2]
            adaptive = label.endswith("a")
            n = int(label.rstrip("a"))
            metric_at = 4
            mean = float(cells[metric_at + 2] if cells[metric_at + 1] == "ITP" else cells[metric_at + 1])
            values[(cells[0], cells[1], adaptive, n)].append(mean)
    return {k: sum(v) / len(v) for k, v in values.items()}, {k: len(v) for k, v in values.items()}


def panel(x0, y0, w, h, title, series, ns, floor):
    out = [f'<g transform="translate({x0},{y0})">',
           f'<text x="{w / 2}" y="-8" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<rect width="{w}" height="{h}" fill="none" stroke="#999"/>']
    top = max(v for s in series.values() for v in s.values()) * 1.1
    low, high = math.log(min(ns)), math.log(max(ns))

    def px(n):
        return (math.log(n) - low) / (high - low) * w

    def py(v):
        return h - v / top * h

    for n in ns:
        out.append(f'<text x="{px(n):.1f}" y="{h + 14}" text-anchor="middle" font-size="10">{n}</text>')
    for k in range(5):
        v = top * k / 4
        out.append(f'<text x="-4" y="{py(v) + 3:.1f}" text-anchor="end" font-size="10">{v:.3f}</text>')
        out.append(f'<line x1="0" x2="{w}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#eee"/>')
    if floor:
        out.append(f'<line x1="0" x2="{w}" y1="{py(floor):.1f}" y2="{py(floor):.1f}" stroke="#555" '
                   'stroke-dasharray="4 3"/>')
    colours = {"fixed": "#1f5fa8", "adaptive": "#d0611b"}
    for name, points in series.items():
        pts = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v in sorted(points.items()))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colours[name]}" stroke-width="2"/>')
        for n, v in points.items():
            out.append(f'<circle cx="{px(n):.1f}" cy="{py(v):.1f}" r="3" fill="{colours[name]}"/>')
    out.append("</g>")
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs, floors = sys.argv[2:], {}
    if runs[0] == "--floor":
        floors, runs = read_floors(runs[1]), runs[2:]
    means, counts = read_runs(runs)
    panels = sorted({(d, t) for d, t, _, _ in means}, key=lambda p: list(dict.fromkeys(k[:2] for k in means)).index(p))
    ns = sorted({n for *_, n in means})
    print("| display | target | patches | fixed | adaptive | seeds (fixed / adaptive) |")
    print("|---|---|---|---|---|---|")
    for d, t in panels:
        for n in ns:
            f, a = means.get((d, t, False, n)), means.get((d, t, True, n))
            runs = f"{counts.get((d, t, False, n), 0)} / {counts.get((d, t, True, n), 0)}"
            print(f"| {d} | {t} | {n} | {'' if f is None else f'{f:.3f}'} | {'' if a is None else f'{a:.3f}'} | {runs} |")
    cols, w, h = 3, 220, 150
    rows = math.ceil(len(panels) / cols)
    width, height = cols * (w + 80) + 20, rows * (h + 70) + 50
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           'font-size="12">', '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="20" y="20">mean error of the calibrated display against patches measured: '
           f'<tspan fill="#1f5fa8">fixed set</tspan>, <tspan fill="#d0611b">adaptive</tspan>, '
           'dashed: the exact inverse of the display (the floor)</text>']
    for i, (d, t) in enumerate(panels):
        series = {"fixed": {}, "adaptive": {}}
        for (dd, tt, adaptive, n), v in means.items():
            if (dd, tt) == (d, t):
                series["adaptive" if adaptive else "fixed"][n] = v
        series = {k: v for k, v in series.items() if v}
        x0, y0 = 60 + (i % cols) * (w + 80), 60 + (i // cols) * (h + 70)
        svg += panel(x0, y0, w, h, f"{d} {t}", series, ns, floors.get((d, t)))
    svg.append("</svg>")
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
