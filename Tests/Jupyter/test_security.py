"""Jupyter's security model: a message whose signature is wrong or missing is dropped unrun and
unanswered, a replayed message is not run twice, and the key never reaches the log."""
import json
import os
import unittest

import zmq

from kernel_support import ManualKernel


class SignatureTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = ManualKernel()
        cls.k.execute("var runs = 0")

    @classmethod
    def tearDownClass(cls):
        cls.k.stop()

    def send_raw(self, frames, port="shell_port"):
        s = self.k.raw_socket(port)
        s.send_multipart(frames)
        return s

    def assert_unanswered(self, sock):
        self.assertEqual(sock.poll(1000, zmq.POLLIN), 0, "the kernel answered a message it should have dropped")
        sock.close()

    def runs(self):
        return self.k.value("runs")

    def test_wrong_signature_is_dropped_unrun(self):
        frames = self.k.frames("execute_request", {"code": "runs = runs + 100", "silent": False})
        frames[1] = bytes(reversed(frames[1]))
        self.assert_unanswered(self.send_raw(frames))
        self.assertEqual(self.runs(), "0")

    def test_missing_signature_is_dropped_unrun(self):
        frames = self.k.frames("execute_request", {"code": "runs = runs + 100", "silent": False})
        frames[1] = b""
        self.assert_unanswered(self.send_raw(frames))
        self.assertEqual(self.runs(), "0")

    def test_message_signed_with_another_key_is_dropped_unrun(self):
        from jupyter_client.session import Session
        other = Session(key=b"not-the-kernels-key")
        frames = self.k.frames("execute_request", {"code": "runs = runs + 100", "silent": False}, session=other)
        self.assert_unanswered(self.send_raw(frames))
        self.assertEqual(self.runs(), "0")

    def test_altered_content_is_dropped_unrun(self):
        frames = self.k.frames("execute_request", {"code": "runs = runs + 0", "silent": False})
        frames[5] = json.dumps({"code": "runs = runs + 100", "silent": False}).encode()
        self.assert_unanswered(self.send_raw(frames))
        self.assertEqual(self.runs(), "0")

    def test_unsigned_control_messages_are_dropped_too(self):
        frames = self.k.frames("shutdown_request", {"restart": False})
        frames[1] = b"0" * 64
        self.assert_unanswered(self.send_raw(frames, "control_port"))
        self.assertIsNone(self.k.process.poll(), "an unsigned shutdown_request stopped the kernel")
        self.assertEqual(self.runs(), "0")

    def test_replayed_message_runs_once(self):
        frames = self.k.frames("execute_request", {"code": "runs = runs + 1", "silent": True})
        s = self.send_raw(frames)
        self.assertEqual(s.poll(10000, zmq.POLLIN), zmq.POLLIN)
        s.recv_multipart()
        s.send_multipart(frames)
        self.assert_unanswered(s)
        self.assertEqual(self.runs(), "1")
        self.k.execute("runs = 0")

    def test_the_log_says_why_but_never_shows_the_key(self):
        frames = self.k.frames("execute_request", {"code": "1", "silent": False})
        frames[1] = b"f" * 64
        self.assert_unanswered(self.send_raw(frames))
        log = self.k.log()
        self.assertIn("dropped a message: wrong or missing signature", log)
        self.assertNotIn(self.k.key, log)
        self.assertNotIn("f" * 64, log)


class BindingTests(unittest.TestCase):
    def test_the_kernel_listens_only_on_the_connection_files_ports(self):
        k = ManualKernel()
        try:
            inodes = set()
            fd_dir = f"/proc/{k.process.pid}/fd"
            for fd in os.listdir(fd_dir):
                try:
                    target = os.readlink(os.path.join(fd_dir, fd))
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
            listening = set()
            for table in ("/proc/net/tcp", "/proc/net/tcp6"):
                with open(table) as f:
                    for line in f.readlines()[1:]:
                        cols = line.split()
                        local, state, inode = cols[1], cols[3], cols[9]
                        if state == "0A" and inode in inodes:   # 0A: LISTEN
                            address, port = local.rsplit(":", 1)
                            listening.add((address, int(port, 16)))
            expected = {k.info[name] for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
            self.assertEqual({port for _, port in listening}, expected)
            # 127.0.0.1, as the connection file says: 0100007F in /proc's little-endian hex.
            self.assertEqual({address for address, _ in listening}, {"0100007F"})
        finally:
            k.stop()


if __name__ == "__main__":
    unittest.main()
