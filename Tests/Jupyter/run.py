"""Runs the kernel's Python tests (jupyter_kernel_test's suite and Rec's own protocol tests)
and ends with one line: `kernel-tests: N passed, N failed, N skipped`."""
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
suite = unittest.defaultTestLoader.discover(here, pattern="test_*.py")
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped
for test, reason in result.skipped:
    print(f"skipped: {test.id()}: {reason}")
print(f"kernel-tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(0 if failed == 0 and result.testsRun > 0 else 1)
