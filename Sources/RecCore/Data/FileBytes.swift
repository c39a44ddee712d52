// Getting a file's bytes into memory: mmap for plain files, zlib for gzip.

import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only view of a whole file's (decompressed) bytes.
///
/// Plain files are memory-mapped, so loading does not copy them, and `release(upTo:)` lets a
/// loader hand already-parsed pages back to the OS (they stop counting towards the process's
/// resident memory). Gzip files (detected by their magic bytes, not their name) are inflated into
/// one heap buffer.
final class FileBytes: @unchecked Sendable {
    let path: String
    let base: UnsafePointer<UInt8>
    let count: Int
    let gzip: Bool
    private let mapped: Bool
    private var released = 0

    private init(path: String, base: UnsafePointer<UInt8>, count: Int, gzip: Bool, mapped: Bool) {
        self.path = path; self.base = base; self.count = count; self.gzip = gzip; self.mapped = mapped
    }

    deinit {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), count) }
        else { free(UnsafeMutableRawPointer(mutating: base)) }
    }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Opens `path`, checking that it exists, is a regular file, is not empty and is text.
    static func open(_ path: String) throws -> FileBytes {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw DataError(.fileNotFound, path: path, message: "no such file") }
            throw DataError(.io, path: path, message: "cannot read file: \(String(cString: strerror(e)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw DataError(.notAFile, path: path, message: (st.st_mode & S_IFMT) == S_IFDIR ? "is a directory, not a file" : "not a regular file")
        }
        let size = Int(st.st_size)
        guard size > 0 else { throw DataError(.emptyFile, path: path, message: "file is empty") }
        #if canImport(Glibc)
        let fd = Glibc.open(path, O_RDONLY)
        #else
        let fd = Darwin.open(path, O_RDONLY)
        #endif
        guard fd >= 0 else {
            throw DataError(.io, path: path, message: "cannot open file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 6)
        let got = read(fd, &magic, 6)
        let fb: FileBytes
        if try isGzip(Array(magic.prefix(max(0, got))), path: path) {
            fb = try inflateGzip(path)
        } else {
            guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
                throw DataError(.io, path: path, message: "cannot map file: \(String(cString: strerror(errno)))")
            }
            _ = madvise(p, size, MADV_SEQUENTIAL)
            fb = FileBytes(path: path, base: UnsafePointer(p.assumingMemoryBound(to: UInt8.self)), count: size,
                           gzip: false, mapped: true)
        }
        try fb.checkText()
        return fb
    }

    /// Bytes already in memory (a copy is kept), named `name` in errors and reports as a file's
    /// path would be: for hosts that receive data rather than paths, and for the fuzz targets,
    /// which drive the loaders' parsers without the file system. Gzip data is refused (inflating
    /// is the file path's business).
    static func memory(_ bytes: UnsafeRawBufferPointer, name: String) throws -> FileBytes {
        guard bytes.count > 0, let base = bytes.baseAddress else { throw DataError(.emptyFile, path: name, message: "file is empty") }
        if try isGzip(Array(bytes.prefix(6)), path: name) {
            throw DataError(.decompression, path: name, message: "gzip data is only read from files")
        }
        guard let copy = malloc(bytes.count) else { throw DataError(.io, path: name, message: "out of memory") }
        copy.copyMemory(from: base, byteCount: bytes.count)
        let fb = FileBytes(path: name, base: UnsafePointer(copy.assumingMemoryBound(to: UInt8.self)), count: bytes.count,
                           gzip: false, mapped: false)
        try fb.checkText()
        return fb
    }

    /// Whether `magic` (a file's first bytes) starts a gzip stream; throws for the other
    /// compressed formats, which are recognised only to say that they are not supported.
    private static func isGzip(_ magic: [UInt8], path: String) throws -> Bool {
        func starts(_ m: [UInt8]) -> Bool { magic.count >= m.count && Array(magic.prefix(m.count)) == m }
        if starts([0x1F, 0x8B]) { return true }
        if starts([0x42, 0x5A, 0x68]) {
            throw DataError(.decompression, path: path, message: "bzip2-compressed files are not supported; decompress it or use gzip")
        }
        if starts([0x50, 0x4B, 3, 4]) {
            throw DataError(.decompression, path: path, message: "zip archives are not supported; extract the file first")
        }
        if magic.count >= 6 && starts([0xFD, 0x37, 0x7A, 0x58]) {
            throw DataError(.decompression, path: path, message: "xz-compressed files are not supported; decompress it or use gzip")
        }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) {
            throw DataError(.decompression, path: path, message: "zstd-compressed files are not supported; decompress it or use gzip")
        }
        return false
    }

    /// Rejects empty and binary content: a NUL byte in the first 8 KiB means this is not text.
    private func checkText() throws {
        guard count > 0 else {
            throw DataError(.emptyFile, path: path, message: gzip ? "file is empty (after gzip decompression)" : "file is empty")
        }
        let n = min(count, 8192)
        if let p = memchr(base, 0, n) {
            let off = UnsafeRawPointer(p) - UnsafeRawPointer(base)
            throw DataError(.binaryFile, path: path,
                            message: "binary file (NUL byte at offset \(off)), not delimited or JSON text")
        }
        var allBlank = true
        for i in 0..<count {
            let b = base[i]
            if b != 0x20 && b != 0x0A && b != 0x0D && b != 0x09 { allBlank = false; break }
        }
        if allBlank { throw DataError(.emptyFile, path: path, message: "file has no data (only blank lines)") }
    }

    private static func inflateGzip(_ path: String) throws -> FileBytes {
        guard let gz = gzopen(path, "rb") else {
            throw DataError(.io, path: path, message: "cannot open gzip file")
        }
        defer { gzclose(gz) }
        _ = gzbuffer(gz, 1 << 17)
        // Start from the size recorded in the gzip trailer (mod 2^32), grow as needed.
        var cap = 1 << 20
        if let f = fopen(path, "rb") {
            if fseek(f, -4, SEEK_END) == 0 {
                var t = [UInt8](repeating: 0, count: 4)
                if fread(&t, 1, 4, f) == 4 {
                    let isize = Int(t[0]) | Int(t[1]) << 8 | Int(t[2]) << 16 | Int(t[3]) << 24
                    cap = max(cap, isize + 1)
                }
            }
            fclose(f)
        }
        guard var buf = malloc(cap)?.assumingMemoryBound(to: UInt8.self) else {
            throw DataError(.io, path: path, message: "out of memory")
        }
        var n = 0
        while true {
            if n == cap {
                cap *= 2
                guard let nb = realloc(buf, cap) else { free(buf); throw DataError(.io, path: path, message: "out of memory") }
                buf = nb.assumingMemoryBound(to: UInt8.self)
            }
            let want = UInt32(min(cap - n, 1 << 30))
            let r = gzread(gz, buf + n, want)
            if r < 0 {
                var errnum: Int32 = 0
                let msg = gzerror(gz, &errnum).map { String(cString: $0) } ?? "unknown error"
                free(buf)
                throw DataError(.decompression, path: path, message: "corrupt gzip data: \(msg)")
            }
            if r == 0 { break }
            n += Int(r)
        }
        var errnum: Int32 = 0
        let msg = gzerror(gz, &errnum).map { String(cString: $0) } ?? ""
        if errnum != Z_OK && errnum != Z_STREAM_END {
            free(buf)
            throw DataError(.decompression, path: path, message: "corrupt or truncated gzip data: \(msg)")
        }
        return FileBytes(path: path, base: UnsafePointer(buf), count: n, gzip: true, mapped: false)
    }

    /// Tells the OS that bytes before `offset` will not be read again (mapped files only), so a
    /// multi-gigabyte load keeps only a window of the file resident.
    func release(upTo offset: Int) {
        guard mapped else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = (offset / page) * page
        if end > released {
            _ = madvise(UnsafeMutableRawPointer(mutating: base) + released, end - released, MADV_DONTNEED)
            released = end
        }
    }
}
