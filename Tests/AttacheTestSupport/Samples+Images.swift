import AttacheCore
import AttacheExtraction
import Foundation

/// Images for the preview tests: real ones drawn by libvips' `vips` command (which the test command
/// installs with `libvips-tools`), and crafted ones whose header claims what no decoder should be
/// made to decode.
extension Samples {
    /// An image of `width` × `height` pixels in the format of `fileExtension` (`png`, `jpg`, `gif`):
    /// noise, or black when `black` (which compresses to almost nothing at any size).
    package static func image(width: Int, height: Int, fileExtension: String, black: Bool = false) async throws -> [UInt8] {
        guard let vips = SandboxedTool.locate("vips") else { throw TestFailure("vips (libvips-tools) is installed by scripts/test.sh") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attache-image-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let drawn = black ? ["black", "drawn.v", "\(width)", "\(height)"] : ["gaussnoise", "drawn.v", "\(width)", "\(height)"]
        for arguments in [drawn, ["copy", "drawn.v", "image.\(fileExtension)"]] {
            let run = try ChildProcess(vips, arguments: arguments, environment: ["PATH": "/usr/bin:/bin"], in: folder.path)
            guard await run.exit() == .exited(0) else { throw TestFailure("vips \(arguments.joined(separator: " ")) failed") }
        }
        return Array(try Data(contentsOf: folder.appendingPathComponent("image.\(fileExtension)")))
    }

    /// A PNG of a few hundred bytes whose header says `width` × `height` RGBA pixels: a decompression
    /// bomb as far as a decoder that believed it would go (its data is the start of a zlib stream).
    package static func pngBomb(width: UInt32, height: UInt32) -> [UInt8] {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            var crc = CRC32()
            body.withUnsafeBytes { crc.update($0) }
            return bigEndian(UInt32(data.count)) + body + bigEndian(crc.value)
        }
        let header = bigEndian(width) + bigEndian(height) + [8, 6, 0, 0, 0]
        let zeros = [0x78, 0x01, 0x00, 0xFF, 0x00, 0x00, 0xFF] + [UInt8](repeating: 0, count: 255)
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zeros) + chunk("IEND", [])
    }

    /// A GIF whose canvas is `width` × `height` with `frames` frames, each a single pixel: small on
    /// disk, `frames` × the canvas to a decoder that draws every frame.
    package static func gifAnimation(width: UInt16, height: UInt16, frames: Int) -> [UInt8] {
        var gif = Array("GIF89a".utf8) + littleEndian(width) + littleEndian(height) + [0x80, 0, 0] + [0, 0, 0, 255, 255, 255]
        gif += [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00]  // loop for ever
        for _ in 0..<frames {
            gif += [0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00]  // 0.1 s a frame
            gif += [0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]  // a 1×1 frame at the top left
            gif += [0x02, 0x02, 0x44, 0x01, 0x00]  // its LZW data: one pixel of colour 0
        }
        return gif + [0x3B]
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func littleEndian(_ value: UInt16) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8)]
    }
}
