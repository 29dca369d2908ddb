"""Progress reporting: a bar on a terminal, plain log lines elsewhere."""

from __future__ import annotations

import sys

from tqdm import tqdm


class LogProgress:
    """A tqdm look-alike that prints a line at every tenth of the work."""

    def __init__(self, total: int, desc: str, stream) -> None:
        self.total, self.desc, self.stream = total, desc, stream
        self.done = 0
        self.step = max(1, total // 10)

    def update(self, n: int = 1) -> None:
        before, self.done = self.done, self.done + n
        if self.done // self.step > before // self.step or self.done == self.total:
            print(f"{self.desc}: {self.done}/{self.total}", file=self.stream, flush=True)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def progress(total: int, desc: str, stream=None):
    """A progress bar when ``stream`` (default stderr) is a terminal, log lines otherwise."""
    stream = stream or sys.stderr
    if stream.isatty():
        return tqdm(total=total, desc=desc, unit="doc", file=stream, leave=False)
    return LogProgress(total, desc, stream)
