"""Interrupting a running cell (SIGINT, as Jupyter's interrupt_mode "signal" sends, and an
interrupt_request on the control channel), staying responsive while busy, shutdown and restart."""
import unittest

from jupyter_client.manager import start_new_kernel

from kernel_support import ManualKernel


class InterruptTests(unittest.TestCase):
    def setUp(self):
        self.k = ManualKernel()

    def tearDown(self):
        self.k.stop()

    def wait_for_output(self, msg_id, msg_type):
        """Reads IOPub until the request's first message of `msg_type`: proof that the cell runs
        (an interrupt sent before the cell starts would be cleared when it starts)."""
        while True:
            msg = self.k.client.get_iopub_msg(timeout=30)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == msg_type:
                return msg

    def start_endless_loop(self):
        self.k.execute("var kept = 41")
        msg_id = self.k.client.execute('var spins = 0\nprint("looping")\nwhile true { spins = spins + 1 }')
        self.assertEqual(self.wait_for_output(msg_id, "stream")["content"]["text"], "looping\n")
        return msg_id

    def assert_interrupted_and_state_kept(self, msg_id):
        reply, outputs = self.k.collect(msg_id, timeout=15)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "interrupted")
        self.assertEqual([m["msg_type"] for m in outputs], ["error"])
        self.assertIn("<cell 2>:3:", outputs[0]["content"]["traceback"][0])
        self.assertEqual(self.k.value("kept + 1"), "42")
        self.assertGreater(int(self.k.value("spins")), 0)

    def test_sigint_stops_an_endless_loop_and_variables_survive(self):
        msg_id = self.start_endless_loop()
        self.k.process.send_signal(2)
        self.assert_interrupted_and_state_kept(msg_id)

    def test_interrupt_request_on_control_stops_it_too(self):
        msg_id = self.start_endless_loop()
        # While the cell runs, heartbeat and control still answer.
        self.assertTrue(self.k.client.hb_channel.is_beating())
        msg = self.k.client.session.msg("kernel_info_request", {})
        self.k.client.control_channel.send(msg)
        info = self.k.client.control_channel.get_msg(timeout=5)
        self.assertEqual(info["content"]["implementation"], "rec")
        msg = self.k.client.session.msg("interrupt_request", {})
        self.k.client.control_channel.send(msg)
        reply = self.k.client.control_channel.get_msg(timeout=5)
        self.assertEqual(reply["msg_type"], "interrupt_reply")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assert_interrupted_and_state_kept(msg_id)

    def test_an_interrupted_fit_keeps_the_kernel_usable(self):
        self.k.execute("let data = synthetic(users: 300, items: 80, seed: 3)")
        msg_id = self.k.client.execute("let m = fit(biased_mf(epochs: 100000), data)")
        first = self.wait_for_output(msg_id, "display_data")
        self.k.process.send_signal(2)
        reply, outputs = self.k.collect(msg_id, timeout=30)
        self.assertEqual(reply["status"], "ok", reply)   # stopped between epochs: the model is kept
        outputs.insert(0, first)
        kinds = [m["msg_type"] for m in outputs]
        self.assertEqual(kinds[0], "display_data")
        self.assertIn("update_display_data", kinds)
        ids = {m["content"]["transient"]["display_id"] for m in outputs if m["msg_type"].endswith("display_data")}
        self.assertEqual(len(ids), 1)
        self.assertIn("(stopped)", [m for m in outputs if m["msg_type"] == "update_display_data"][-1]["content"]["data"]["text/plain"])
        self.assertEqual(self.k.value("type(m)"), '"Model"')


class StopOnErrorTests(unittest.TestCase):
    def test_cells_queued_behind_a_failure_are_aborted_unrun(self):
        k = ManualKernel()
        try:
            failing = k.client.execute("var i = 0\nwhile i < 300000 { i = i + 1 }\n1 / 0")
            queued = k.client.execute("let after = 1")
            reply, outputs = k.collect(failing)
            self.assertEqual(reply["status"], "error")
            reply, outputs = k.collect(queued)
            self.assertEqual(reply["status"], "aborted")
            self.assertEqual(outputs, [])
            self.assertEqual(k.execute("after")[0]["ename"], "name error")
            # Without stop_on_error the next cell runs.
            k.client.execute("1 / 0", stop_on_error=False)
            queued = k.client.execute("let later = 2")
            k.client.get_shell_msg(timeout=30)
            self.assertEqual(k.client.get_shell_msg(timeout=30)["content"]["status"], "ok")
            self.assertEqual(k.value("later"), "2")
        finally:
            k.stop()


class LifecycleTests(unittest.TestCase):
    def test_restart_gives_a_fresh_kernel_and_shutdown_ends_the_process(self):
        km, kc = start_new_kernel(kernel_name="rec")
        try:
            quiet = {"output_hook": lambda msg: None}
            kc.execute_interactive("let before = 1", timeout=30, **quiet)
            pid = km.provisioner.process.pid
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=30)
            self.assertNotEqual(km.provisioner.process.pid, pid)
            reply = kc.execute_interactive("before", timeout=30, **quiet)
            self.assertEqual(reply["content"]["status"], "error")
            self.assertEqual(reply["content"]["ename"], "name error")
            process = km.provisioner.process
            kc.shutdown()
            reply = kc.control_channel.get_msg(timeout=10)
            self.assertEqual(reply["msg_type"], "shutdown_reply")
            process.wait(timeout=10)
            self.assertEqual(process.returncode, 0)
        finally:
            kc.stop_channels()
            if km.is_alive():
                km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
