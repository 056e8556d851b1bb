import AttacheCore
import CAttacheZlib

/// Inflates a raw deflate stream (a ZIP entry's) with zlib, a chunk at a time: its memory is zlib's
/// window and one output buffer, whatever the stream expands to.
final class RawInflater {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    /// Whether the stream's final block has been inflated.
    private(set) var isFinished = false
    /// The compressed bytes zlib has read so far: what the output inflated so far came from.
    var bytesRead: Int64 { Int64(stream.total_in) }

    init() throws {
        // Negative window bits: raw deflate, no zlib header (as ZIP stores it).
        let status = inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw DerivationFailure.transient("zlib could not start inflating (status \(status))") }
    }

    deinit {
        inflateEnd(&stream)
    }

    /// Inflates `input`, handing each piece of output to `consume`, which answers whether to go on.
    /// - Returns: `false` when `consume` asked to stop.
    /// - Throws: ``DerivationFailure`` (permanent) for data that is not deflate.
    func inflate(_ input: UnsafeRawBufferPointer, into consume: (UnsafeRawBufferPointer) throws -> Bool) throws -> Bool {
        guard !isFinished, let base = input.baseAddress else { return true }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        defer { (stream.next_in, stream.avail_in) = (nil, 0) }
        while stream.avail_in > 0 || !isFinished {
            let (status, produced) = output.withUnsafeMutableBytes { buffer -> (Int32, Int) in
                stream.next_out = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(buffer.count)
                let status = CAttacheZlib.inflate(&stream, Z_NO_FLUSH)
                return (status, buffer.count - Int(stream.avail_out))
            }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                isFinished = true
            default:
                throw DerivationFailure.permanent("a document's entry is not valid deflate data (zlib status \(status))")
            }
            if produced > 0 {
                let goOn = try output.withUnsafeBytes { try consume(UnsafeRawBufferPointer(rebasing: $0.prefix(produced))) }
                if !goOn { return false }
            }
            // Nothing more comes out of this input: the rest of the stream is in the next chunk.
            if produced == 0 && (status == Z_BUF_ERROR || stream.avail_in == 0) { break }
            if isFinished { break }
        }
        return true
    }
}
