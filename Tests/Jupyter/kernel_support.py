"""Starting a Rec kernel by hand (its own connection file, its stderr captured) and talking to
it both through jupyter_client and with raw, hand-made ZeroMQ frames."""
import os
import subprocess
import tempfile

import zmq
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from jupyter_client.session import Session

REC = os.environ.get("REC_BINARY") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "rec"))


class ManualKernel:
    """`rec kernel -f FILE` on fresh loopback ports, with a client and the kernel's stderr."""

    def __init__(self, key=None, env=None):
        self.dir = tempfile.mkdtemp(prefix="rec-kernel-test-")
        self.key = key or os.urandom(16).hex()
        self.connection_file, self.info = write_connection_file(
            os.path.join(self.dir, "kernel.json"), ip="127.0.0.1", key=self.key.encode(), transport="tcp")
        self.stderr_path = os.path.join(self.dir, "stderr.txt")
        self.stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen([REC, "kernel", "-f", self.connection_file], stdout=subprocess.DEVNULL,
                                        stderr=self.stderr, env={**os.environ, **(env or {})},
                                        start_new_session=True)
        self.client = BlockingKernelClient(connection_file=self.connection_file)
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=30)
        self.zmq = zmq.Context()

    def execute(self, code, timeout=30):
        """Runs code; returns the reply content and the IOPub messages it caused (until idle)."""
        msg_id = self.client.execute(code)
        return self.collect(msg_id, timeout)

    def collect(self, msg_id, timeout=30):
        reply = self.client.get_shell_msg(timeout=timeout)
        assert reply["parent_header"]["msg_id"] == msg_id, reply
        outputs = []
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return reply["content"], outputs
            if msg["msg_type"] not in ("status", "execute_input"):
                outputs.append(msg)

    def value(self, code):
        """The text/plain result of an expression (None when it failed or gave nothing)."""
        reply, outputs = self.execute(code)
        for m in outputs:
            if m["msg_type"] == "execute_result":
                return m["content"]["data"]["text/plain"]
        return None

    def raw_socket(self, port_name):
        s = self.zmq.socket(zmq.DEALER)
        s.linger = 0
        s.connect(f"tcp://127.0.0.1:{self.info[port_name]}")
        return s

    def frames(self, msg_type, content, session=None):
        """A correctly signed message's frames (signature first), to alter before sending."""
        session = session or Session(key=self.key.encode())
        msg = session.msg(msg_type, content)
        parts = [session.pack(msg["header"]), session.pack({}), session.pack({}), session.pack(content)]
        return [b"<IDS|MSG>", session.sign(parts)] + parts

    def log(self):
        self.stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        try:
            self.client.shutdown()
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
        self.client.stop_channels()
        self.zmq.destroy(linger=0)
        self.stderr.close()

