"""Notebooks run through nbclient on the Rec kernel, and workspaces given in the kernelspec, in
the kernel's environment and per notebook."""
import json
import os
import subprocess
import tempfile
import unittest

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell

from kernel_support import REC, ManualKernel

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "smoke.ipynb")


def run_notebook(nb, **kwargs):
    NotebookClient(nb, kernel_name="rec", timeout=60, **kwargs).execute()
    return nb


class NotebookTests(unittest.TestCase):
    def test_smoke_notebook_runs_with_every_kind_of_output(self):
        nb = run_notebook(nbformat.read(FIXTURE, as_version=4))
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        self.assertEqual([c.execution_count for c in code], [1, 2, 3, 4, 5])
        stream = code[0].outputs
        self.assertEqual([(o.output_type, o.name, o.text) for o in stream], [("stream", "stdout", "sorted: [1, 2, 3]\n")])
        self.assertEqual(code[1].outputs[0].output_type, "execute_result")
        self.assertEqual(code[1].outputs[0].data["text/plain"], "6")
        html = code[2].outputs[0]
        self.assertEqual(html.output_type, "display_data")
        self.assertIn("<table", html.data["text/html"])
        self.assertIn("0.25", html.data["text/plain"])
        # Progress: one display, updated in place to its final state.
        progress = code[3].outputs
        self.assertEqual(len(progress), 1, progress)
        self.assertEqual(progress[0].output_type, "display_data")
        self.assertIn("3/3", progress[0].data["text/plain"])
        self.assertEqual([(o.output_type, o.get("name")) for o in code[4].outputs],
                         [("stream", "stderr"), ("execute_result", None)])
        self.assertIn("warning: a note for stderr", code[4].outputs[0].text)

    def test_failing_cell_raises_with_position_and_later_cells_do_not_run(self):
        nb = nbformat.read(FIXTURE, as_version=4)
        nb.cells.insert(2, new_code_cell("fn half(x) { x / 0 }\nhalf(xs[0])"))
        with self.assertRaises(CellExecutionError) as caught:
            run_notebook(nb)
        self.assertIn("division by zero", str(caught.exception))
        error = nb.cells[2].outputs[0]
        self.assertEqual((error.output_type, error.ename, error.evalue), ("error", "value error", "division by zero"))
        self.assertIn("<cell 2>:1:16", error.traceback[0])
        self.assertIn("  in half at <cell 2>:1:16", error.traceback)
        self.assertIn("  in <cell> at <cell 2>:2:5", error.traceback)
        self.assertEqual(nb.cells[3].outputs, [])

        nb = nbformat.read(FIXTURE, as_version=4)
        nb.cells.insert(2, new_code_cell("nosuch + 1"))
        run_notebook(nb, allow_errors=True)
        self.assertEqual(nb.cells[2].outputs[0].ename, "name error")
        self.assertEqual(nb.cells[3].outputs[0].data["text/plain"], "6")


class RenderedNotebookTests(unittest.TestCase):
    def test_a_rendered_ipynb_runs_on_the_kernel_with_the_same_outputs(self):
        """`rec render --to ipynb` writes a notebook with its outputs; nbclient re-runs it on the
        kernel, and every output is the same as the one rendered (the notebooks are seeded)."""
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        source = os.path.join(root, "Notebooks", "04-neighbours.rec")
        out = os.path.join(tempfile.mkdtemp(prefix="rec-nb-"), "04.ipynb")
        subprocess.run([REC, "render", source, "--to", "ipynb", "-o", out], check=True, cwd=root,
                       stdout=subprocess.DEVNULL)
        rendered = nbformat.read(out, as_version=4)
        nbformat.validate(rendered)
        rerun = run_notebook(nbformat.read(out, as_version=4), resources={"metadata": {"path": root}})

        def texts(nb):
            return [[(o.output_type, o.get("text") or o.get("data", {}).get("text/plain")) for o in c.outputs]
                    for c in nb.cells if c.cell_type == "code"]
        self.assertGreater(sum(len(c) for c in texts(rendered)), 5)
        self.assertEqual(texts(rerun), texts(rendered))


class WorkspaceTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rec-ws-")
        self.path = os.path.join(self.dir, "w.recdb")

    def save_then_restore(self, env_a=None, env_b=None, prologue=""):
        a = ManualKernel(env=env_a)
        try:
            reply, outputs = a.execute(prologue + 'save("answer", [42, "x"])')
            self.assertEqual(reply["status"], "ok", outputs)
        finally:
            a.stop()
        b = ManualKernel(env=env_b)
        try:
            if prologue:
                b.execute(prologue)
            self.assertEqual(b.value('restore("answer")'), '[42, "x"]')
        finally:
            b.stop()

    def test_workspace_from_the_environment(self):
        self.save_then_restore({"REC_WORKSPACE": self.path}, {"REC_WORKSPACE": self.path})
        self.assertTrue(os.path.exists(self.path))

    def test_workspace_opened_by_the_notebook(self):
        self.save_then_restore(prologue=f'workspace("{self.path}")\n')

    def test_workspace_from_the_kernelspec(self):
        prefix = os.path.join(self.dir, "prefix")
        subprocess.run([REC, "kernel", "install", "--prefix", prefix, "--workspace", self.path], check=True,
                       stdout=subprocess.DEVNULL)
        kernels = os.path.join(prefix, "share", "jupyter", "kernels")
        with open(os.path.join(kernels, "rec", "kernel.json")) as f:
            spec = json.load(f)
        self.assertEqual(spec["argv"][1:], ["kernel", "-f", "{connection_file}", "--workspace", self.path])
        for step in ['save("answer", 7)', 'restore("answer")']:
            km = KernelManager(kernel_name="rec", kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels]))
            km.start_kernel()
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=30)
                results = []
                reply = kc.execute_interactive(step, timeout=30, output_hook=results.append)
                self.assertEqual(reply["content"]["status"], "ok")
            finally:
                kc.stop_channels()
                km.shutdown_kernel()
        self.assertEqual([r["content"]["data"]["text/plain"] for r in results if r["msg_type"] == "execute_result"], ["7"])

    def test_a_workspace_that_cannot_open_is_reported_in_the_first_cell(self):
        k = ManualKernel(env={"REC_WORKSPACE": os.path.join(self.dir, "no", "such", "dir", "w.recdb")})
        try:
            reply, outputs = k.execute("1 + 1")
            self.assertEqual(reply["status"], "ok")
            self.assertEqual(outputs[0]["msg_type"], "stream")
            self.assertEqual(outputs[0]["content"]["name"], "stderr")
            self.assertIn("cannot open workspace", outputs[0]["content"]["text"])
            self.assertEqual(outputs[1]["content"]["data"]["text/plain"], "2")
        finally:
            k.stop()


if __name__ == "__main__":
    unittest.main()
