#!/usr/bin/env python3
"""Figures from the emulator's samples ("epoch_seconds answered_200 answered_429 tokens" four times a second,
written by lib.sh's start_sampler), for bench/run-all.sh.

  figures.py rate SAMPLES                 -> "ok seconds ok_per_second 429s"  (first to last change of the 200s)
  figures.py limit SAMPLES SKIP R UNIT    -> "achieved_per_min share_% 429_window_% 429_run_% window_s max_60s first_90_s"

`limit` measures a run against a per-minute limit R of UNIT (requests or tokens): what the endpoint accepted
per minute after the run's first SKIP seconds, the share of 429s in that window and over the whole run, the
most it accepted in any 60 s (from samples 0.25 s apart, so to within a quarter second of arrivals), and how
many seconds after the first request the accepted rate (over 5 s) first reached 90% of R.
"""
import sys


def read(path):
    rows = []
    for line in open(path):
        parts = line.split()
        if len(parts) >= 4:
            rows.append([float(p) for p in parts[:4]])
    return rows


def first_change(rows):
    base = rows[0][1] + rows[0][2]
    for i, r in enumerate(rows):
        if r[1] + r[2] > base:
            return max(i - 1, 0)
    return 0


def last_change(rows, col):
    for i in range(len(rows) - 1, -1, -1):
        if rows[i][col] != rows[-1][col]:
            return min(i + 1, len(rows) - 1)
    return len(rows) - 1


def rate(rows):
    start = first_change(rows)
    end = last_change(rows, 1)
    ok = rows[end][1] - rows[start][1]
    refused = rows[-1][2] - rows[start][2]
    secs = max(rows[end][0] - rows[start][0], 1e-3)
    print(f"{ok:.0f} {secs:.1f} {ok / secs:.1f} {refused:.0f}")


def limit(rows, skip, r, unit):
    col = 1 if unit == "requests" else 3
    start = first_change(rows)
    t0 = rows[start][0]
    win = [x for x in rows if x[0] >= t0 + skip]
    end_i = last_change(win, col)
    a, e = win[0], win[end_i]
    secs = max(e[0] - a[0], 1e-3)
    achieved = (e[col] - a[col]) / secs * 60
    ok_w, lim_w = e[1] - a[1], e[2] - a[2]
    ok_all, lim_all = rows[-1][1] - rows[start][1], rows[-1][2] - rows[start][2]
    most = 0.0
    j = start
    for i in range(start, len(rows)):
        while rows[i][0] - rows[j][0] > 60:
            j += 1
        most = max(most, rows[i][col] - rows[j][col])
    first90 = "-"
    j = start
    for i in range(start, len(rows)):
        while rows[i][0] - rows[j][0] > 5:
            j += 1
        span = rows[i][0] - rows[j][0]
        if span >= 4 and (rows[i][col] - rows[j][col]) / span * 60 >= 0.9 * r:
            first90 = f"{rows[i][0] - t0:.0f}"
            break
    print(f"{achieved:.0f} {100 * achieved / r:.1f} {100 * lim_w / max(ok_w + lim_w, 1):.2f} "
          f"{100 * lim_all / max(ok_all + lim_all, 1):.2f} {secs:.0f} {most:.0f} {first90}")


if __name__ == "__main__":
    what, path = sys.argv[1], sys.argv[2]
    samples = read(path)
    if what == "rate":
        rate(samples)
    elif what == "limit":
        limit(samples, float(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        sys.exit("unknown figure " + what)
