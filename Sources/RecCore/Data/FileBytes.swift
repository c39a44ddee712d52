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
        if got >= 2 && magic[0] == 0x1F && magic[1] == 0x8B {
            fb = try inflateGzip(path)
        } else {
            if got >= 3 && magic[0] == 0x42 && magic[1] == 0x5A && magic[2] == 0x68 {
                throw DataError(.decompression, path: path, message: "bzip2-compressed files are not supported; decompress it or use gzip")
            }
            if got >= 4 && magic[0] == 0x50 && magic[1] == 0x4B && magic[2] == 3 && magic[3] == 4 {
                throw DataError(.decompression, path: path, message: "zip archives are not supported; extract the file first")
            }
            if got >= 6 && magic[0] == 0xFD && magic[1] == 0x37 && magic[2] == 0x7A && magic[3] == 0x58 {
                throw DataError(.decompression, path: path, message: "xz-compressed files are not supported; decompress it or use gzip")
            }
            if got >= 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD {
                throw DataError(.decompression, path: path, message: "zstd-compressed files are not supported; decompress it or use gzip")
            }
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
