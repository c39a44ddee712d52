import CZeroMQ
import Foundation

/// A failure of a ZeroMQ call, with libzmq's own words for it.
public struct ZMQError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public var description: String { "\(call): \(String(cString: zmq_strerror(code)))" }
    static func last(_ call: String) -> ZMQError { ZMQError(call: call, code: zmq_errno()) }
}

/// One ZeroMQ context per kernel; sockets are made from it and it is ended last.
public final class ZMQContext {
    let handle: UnsafeMutableRawPointer

    public init() throws {
        guard let h = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        handle = h
    }

    public func socket(_ type: Int32) throws -> ZMQSocket { try ZMQSocket(context: self, type: type) }

    /// Blocks until every socket is closed.
    public func terminate() {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}

/// A ZeroMQ socket sending and receiving multipart messages as lists of byte frames.
///
/// libzmq sockets are not thread-safe: each socket is used by one thread, except the IOPub
/// socket, which `Kernel` guards with a lock.
public final class ZMQSocket {
    let handle: UnsafeMutableRawPointer
    private var closed = false

    init(context: ZMQContext, type: Int32) throws {
        guard let h = zmq_socket(context.handle, type) else { throw ZMQError.last("zmq_socket") }
        handle = h
        // Closing must not wait for undelivered messages to a client that went away.
        try setInt(ZMQ_LINGER, 0)
    }

    deinit { close() }

    public func close() {
        if !closed { zmq_close(handle); closed = true }
    }

    public func setInt(_ option: Int32, _ value: Int32) throws {
        var v = value
        guard zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) == 0 else { throw ZMQError.last("zmq_setsockopt") }
    }

    public func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else {
            let e = ZMQError.last("zmq_bind")
            throw ZMQError(call: "cannot bind \(endpoint)", code: e.code)
        }
    }

    public func connect(_ endpoint: String) throws {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError.last("zmq_connect") }
    }

    /// The endpoint a wildcard port (`tcp://127.0.0.1:*`) was bound to; used by tests.
    public var lastEndpoint: String {
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else { return "" }
        return String(cString: buffer)
    }

    /// Sends all frames as one multipart message. A signal interrupting the send retries it.
    public func send(_ frames: [[UInt8]]) throws {
        for (i, frame) in frames.enumerated() {
            let flags = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                if zmq_errno() == EINTR { continue }
                throw ZMQError.last("zmq_send")
            }
        }
    }

    /// Receives one multipart message, waiting at most `timeout` milliseconds (-1: forever).
    /// Returns nil when nothing arrived in time or a signal interrupted the wait.
    public func receive(timeout: Int = -1) throws -> [[UInt8]]? {
        guard try poll(timeout: timeout) else { return nil }
        var frames: [[UInt8]] = []
        while true {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            var rc: Int32
            repeat { rc = zmq_msg_recv(&msg, handle, 0) } while rc < 0 && zmq_errno() == EINTR
            guard rc >= 0 else { throw ZMQError.last("zmq_msg_recv") }
            let size = zmq_msg_size(&msg)
            if size > 0, let data = zmq_msg_data(&msg) {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&msg) == 0 { return frames }
        }
    }

    /// Whether a message is waiting, after at most `timeout` milliseconds.
    public func poll(timeout: Int) throws -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let rc = zmq_poll(&item, 1, timeout)
        if rc < 0 {
            if zmq_errno() == EINTR { return false }
            throw ZMQError.last("zmq_poll")
        }
        return rc > 0 && item.revents & Int16(ZMQ_POLLIN) != 0
    }
}
