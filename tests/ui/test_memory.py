"""The server's memory setting: glibc gives freed large arrays back to the operating system."""

import sys

from ui.plain import memory


def test_the_mmap_threshold_is_fixed_where_there_is_glibc():
    assert memory.return_large_arrays_to_the_os() == sys.platform.startswith("linux")
