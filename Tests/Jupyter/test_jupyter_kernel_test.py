"""The community conformance suite (PyPI jupyter_kernel_test) run against the Rec kernel."""
import unittest

import jupyter_kernel_test


class RecKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "rec"
    language_name = "rec"
    file_extension = ".rec"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'warn("something to stderr")'

    completion_samples = [
        {"text": "prin", "matches": ["print"]},
        {"text": "sor", "matches": ["sort", "sort_by", "sorted"]},
        {"text": "fi", "matches": ["fields", "file_exists", "filter", "filter_channels", "filter_events", "filter_rows",
                                   "filter_time", "find", "fit"]},
    ]

    complete_code_samples = ["1 + 2", "let x = [1, 2]", "fn f(x) {\n  x * 2\n}", ""]
    incomplete_code_samples = ['print("abc', "let xs = [1,\n2", "fn f(x) {", "sum(["]
    invalid_code_samples = ["let = 3", "1 + )"]

    code_generate_error = "1 / 0"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": '"ab"'},
        {"code": "[1, 2, 3].count", "result": "3"},
    ]
    code_history_pattern = "1 +*"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": "show([1, 2])", "mime": "text/plain"},
        {"code": 'show(table([["a": 1, "b": 2.5]]))', "mime": "text/html"},
    ]

    code_inspect_sample = "sum"


if __name__ == "__main__":
    unittest.main()
