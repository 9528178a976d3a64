import os
import subprocess
import sys
from pathlib import Path

import pytest

from problemspace.lib.process_memory import PeakTreeMemory, tree_rss_mb

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")


def test_a_tree_counts_the_children_too() -> None:
    alone = tree_rss_mb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"])
    try:
        with PeakTreeMemory(os.getpid(), every=0.05) as memory:
            subprocess.run([sys.executable, "-c", "import time; time.sleep(0.5)"], check=True)
        assert alone > 0
        assert tree_rss_mb(os.getpid()) > tree_rss_mb(child.pid) > 0
        assert memory.peak_mb > tree_rss_mb(child.pid)
    finally:
        child.kill()
        child.wait()
