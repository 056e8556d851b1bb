public import Foundation

/// What an image's header says about it, read without decoding a pixel: enough to refuse a
/// decompression bomb (a tiny file that decodes to gigabytes) before any decoder sees it.
public struct ImageHeader: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable {
        case png
        case jpeg
        case gif
        case webp

        /// The format of images of MIME type `mediaType`, when it is one of these.
        public init?(mediaType: String) {
            switch mediaType.mimeEssence {
            case "image/png": self = .png
            case "image/jpeg": self = .jpeg
            case "image/gif": self = .gif
            case "image/webp": self = .webp
            default: return nil
            }
        }
    }

    public var format: Format
    /// The canvas, in pixels.
    public var width: Int
    public var height: Int
    /// Images in the file: a GIF's frames; 1 for the others.
    public var frames: Int
    /// Bytes one decoded pixel takes at most (channels × bytes per sample).
    public var bytesPerPixel: Int

    public init(format: Format, width: Int, height: Int, frames: Int = 1, bytesPerPixel: Int = 4) {
        self.format = format
        self.width = width
        self.height = height
        self.frames = frames
        self.bytesPerPixel = bytesPerPixel
    }

    /// Pixels of every frame together (the measure of work and memory for an animation).
    public var totalPixels: Int {
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        let (total, overflowAgain) = area.multipliedReportingOverflow(by: frames)
        return overflow || overflowAgain ? Int.max : total
    }

    /// The header of the image in `file`, which must be of `format`. Reads the header's bytes only
    /// (a GIF's blocks are walked to count its frames, never decoded).
    /// - Throws: ``DerivationFailure`` (permanent) when the file is not such an image or its header is cut.
    public static func read(from file: URL, expecting format: Format) throws -> ImageHeader {
        var reader = try ImageHeaderReader(file: file)
        defer { reader.close() }
        do {
            switch format {
            case .png: return try readPNG(&reader)
            case .jpeg: return try readJPEG(&reader)
            case .gif: return try readGIF(&reader)
            case .webp: return try readWebP(&reader)
            }
        } catch is ImageHeaderReader.EndOfFile {
            throw DerivationFailure.permanent("the \(format.rawValue) image's header is cut short")
        }
    }

    private static func notA(_ format: Format) -> DerivationFailure {
        .permanent("the content is not a \(format.rawValue) image")
    }

    /// The signature, then the IHDR chunk: width, height, bit depth, colour type.
    private static func readPNG(_ reader: inout ImageHeaderReader) throws -> ImageHeader {
        guard try reader.bytes(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw notA(.png) }
        _ = try reader.bytes(4)
        guard try reader.bytes(4) == Array("IHDR".utf8) else { throw notA(.png) }
        let width = try reader.bigEndian(4), height = try reader.bigEndian(4)
        let depth = Int(try reader.byte())
        let channels =
            switch try reader.byte() {
            case 0: 1  // grey
            case 4: 2  // grey and alpha
            case 2: 3  // RGB
            case 3, 6: 4  // a palette (which may have transparency), RGBA
            default: throw notA(.png)
            }
        return ImageHeader(format: .png, width: width, height: height, bytesPerPixel: channels * (depth > 8 ? 2 : 1))
    }

    /// Marker segments up to the first start of frame (SOFn): precision, height, width, components.
    private static func readJPEG(_ reader: inout ImageHeaderReader) throws -> ImageHeader {
        guard try reader.bytes(2) == [0xFF, 0xD8] else { throw notA(.jpeg) }
        while true {
            guard try reader.byte() == 0xFF else { throw notA(.jpeg) }
            var marker = try reader.byte()
            while marker == 0xFF { marker = try reader.byte() }  // fill bytes
            switch marker {
            case 0x01, 0xD0...0xD7:
                continue  // markers without a length
            case 0xD9, 0xDA:
                throw DerivationFailure.permanent("the jpeg image has no frame header")
            case 0xC0...0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                _ = try reader.bigEndian(2)
                let precision = Int(try reader.byte())
                let height = try reader.bigEndian(2), width = try reader.bigEndian(2)
                let components = Int(try reader.byte())
                // A height of 0 is given later (DNL): no decoder is trusted to size it.
                guard height > 0, width > 0, (1...4).contains(components) else { throw notA(.jpeg) }
                return ImageHeader(format: .jpeg, width: width, height: height, bytesPerPixel: max(components, 3) * (precision > 8 ? 2 : 1))
            default:
                let length = try reader.bigEndian(2)
                guard length >= 2 else { throw notA(.jpeg) }
                try reader.skip(length - 2)
            }
        }
    }

    /// The logical screen, then every block: image descriptors are counted (and may widen the
    /// canvas), their data and extensions skipped sub-block by sub-block.
    private static func readGIF(_ reader: inout ImageHeaderReader) throws -> ImageHeader {
        let signature = try reader.bytes(6)
        guard signature == Array("GIF87a".utf8) || signature == Array("GIF89a".utf8) else { throw notA(.gif) }
        var width = try reader.littleEndian(2), height = try reader.littleEndian(2)
        let flags = try reader.byte()
        try reader.skip(2)
        if flags & 0x80 != 0 { try reader.skip(3 << (Int(flags & 0x07) + 1)) }
        var frames = 0
        blocks: while let introducer = try reader.byteIfAny() {
            switch introducer {
            case 0x2C:
                let left = try reader.littleEndian(2), top = try reader.littleEndian(2)
                let frameWidth = try reader.littleEndian(2), frameHeight = try reader.littleEndian(2)
                let frameFlags = try reader.byte()
                if frameFlags & 0x80 != 0 { try reader.skip(3 << (Int(frameFlags & 0x07) + 1)) }
                try reader.skip(1)  // LZW minimum code size
                try skipSubBlocks(&reader)
                frames += 1
                width = max(width, left + frameWidth)
                height = max(height, top + frameHeight)
            case 0x21:
                try reader.skip(1)  // label
                try skipSubBlocks(&reader)
            case 0x3B:
                break blocks
            default:
                throw notA(.gif)
            }
        }
        guard frames > 0 else { throw DerivationFailure.permanent("the gif image has no frame") }
        return ImageHeader(format: .gif, width: width, height: height, frames: frames, bytesPerPixel: 4)
    }

    private static func skipSubBlocks(_ reader: inout ImageHeaderReader) throws {
        while true {
            let length = Int(try reader.byte())
            if length == 0 { return }
            try reader.skip(length)
        }
    }

    /// The RIFF container, then the first chunk: lossy (`VP8 `), lossless (`VP8L`) or extended (`VP8X`).
    private static func readWebP(_ reader: inout ImageHeaderReader) throws -> ImageHeader {
        let riff = try reader.bytes(12)
        guard riff[0..<4] == ArraySlice("RIFF".utf8), riff[8..<12] == ArraySlice("WEBP".utf8) else { throw notA(.webp) }
        let chunk = try reader.bytes(4)
        try reader.skip(4)  // chunk size
        let (width, height): (Int, Int)
        switch String(decoding: chunk, as: UTF8.self) {
        case "VP8 ":
            let frame = try reader.bytes(10)
            guard frame[3...5] == [0x9D, 0x01, 0x2A] else { throw notA(.webp) }
            width = (Int(frame[6]) | Int(frame[7]) << 8) & 0x3FFF
            height = (Int(frame[8]) | Int(frame[9]) << 8) & 0x3FFF
        case "VP8L":
            let bits = try reader.bytes(5)
            guard bits[0] == 0x2F else { throw notA(.webp) }
            let packed = Int(bits[1]) | Int(bits[2]) << 8 | Int(bits[3]) << 16 | Int(bits[4]) << 24
            (width, height) = ((packed & 0x3FFF) + 1, ((packed >> 14) & 0x3FFF) + 1)
        case "VP8X":
            try reader.skip(4)
            (width, height) = (try reader.littleEndian(3) + 1, try reader.littleEndian(3) + 1)
        default:
            throw notA(.webp)
        }
        return ImageHeader(format: .webp, width: width, height: height)
    }
}
