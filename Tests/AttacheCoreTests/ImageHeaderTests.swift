import AttacheCore
import AttacheTestSupport
import Foundation
import Testing

/// Image headers read without decoding, and the preview limits that refuse bombs from them.
@Suite("Image headers", .timeLimit(.minutes(1)))
struct ImageHeaderTests {
    static func header(_ bytes: [UInt8], _ format: ImageHeader.Format) throws -> ImageHeader {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("attache-header-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try ImageHeader.read(from: file, expecting: format)
    }

    @Test func realImagesAreMeasuredFromTheirHeaders() async throws {
        #expect(try await Self.header(Samples.image(width: 640, height: 480, fileExtension: "jpg"), .jpeg) == ImageHeader(format: .jpeg, width: 640, height: 480, bytesPerPixel: 3))
        #expect(try await Self.header(Samples.image(width: 790, height: 36861, fileExtension: "png", black: true), .png).totalPixels == 790 * 36861)
        #expect(try await Self.header(Samples.image(width: 64, height: 48, fileExtension: "gif"), .gif) == ImageHeader(format: .gif, width: 64, height: 48, frames: 1))
        let webp = try await Self.header(Samples.image(width: 300, height: 200, fileExtension: "webp"), .webp)
        #expect((webp.width, webp.height) == (300, 200))
    }

    /// A JPEG's frame header may come after long metadata segments, which are skipped, not read.
    @Test func aJPEGsFrameIsFoundPastLongSegments() async throws {
        let jpeg = try await Samples.image(width: 32, height: 24, fileExtension: "jpg")
        let comment: [UInt8] = [0xFF, 0xFE, 0xFF, 0xFF] + [UInt8](repeating: 0x20, count: 0xFFFD)
        let padded = Array(jpeg.prefix(2)) + Array(repeating: comment, count: 40).flatMap { $0 } + Array(jpeg.dropFirst(2))
        #expect(try Self.header(padded, .jpeg) == ImageHeader(format: .jpeg, width: 32, height: 24, bytesPerPixel: 3))
    }

    /// The bar: a 20000 × 20000 PNG of a few hundred bytes is refused within 100 ms, and an
    /// animation by its frames × area; nothing past the header is decoded.
    @Test func bombsAreRefusedFromTheHeaderAtOnce() throws {
        let limits = PreviewLimits()
        let png = Samples.pngBomb(width: 20_000, height: 20_000)
        // The fastest of three: the bar is the work's, and a thread of a busy machine can be paused.
        var fastest = Duration.seconds(60)
        for _ in 0..<3 {
            let started = ContinuousClock.now
            let bomb = try Self.header(png, .png)
            #expect(throws: DerivationFailure.self) { try limits.check(bomb) }
            fastest = min(fastest, ContinuousClock.now - started)
        }
        #expect(fastest < .milliseconds(100), "\(fastest)")
        #expect(png.count < 400)

        let frames = try Self.header(Samples.gifAnimation(width: 4_000, height: 4_000, frames: 4), .gif)
        #expect(frames.frames == 4 && frames.totalPixels == 64_000_000)
        #expect(throws: DerivationFailure.self) { try limits.check(frames) }
        #expect(throws: Never.self) { try limits.check(try Self.header(Samples.gifAnimation(width: 4_000, height: 4_000, frames: 3), .gif)) }
        // 49 MP of 16-bit RGBA is within the pixels but not the 256 MiB a decoder would need.
        let deep = ImageHeader(format: .png, width: 7_000, height: 7_000, bytesPerPixel: 8)
        #expect(throws: DerivationFailure.self) { try limits.check(deep) }
        #expect(throws: DerivationFailure.self) { try limits.check(ImageHeader(format: .png, width: 0, height: 10)) }
        #expect(ImageHeader(format: .gif, width: Int.max / 2, height: 4, frames: 9).totalPixels == Int.max, "no overflow")
    }

    /// What is not the format it claims, or is cut short, fails for good — without a decoder.
    @Test func malformedHeadersFailForGood() throws {
        let png = Samples.pngBomb(width: 10, height: 10)
        for (bytes, format) in [
            (Array(png.prefix(20)), ImageHeader.Format.png), (Array("GIF89a".utf8), .gif), (Array("not an image".utf8), .jpeg),
            ([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02], .jpeg), (png, .gif), (Array("RIFF\0\0\0\0WEBPVP8Z".utf8), .webp),
        ] {
            #expect(throws: DerivationFailure.self, "\(format)") { try Self.header(bytes, format) }
            do {
                _ = try Self.header(bytes, format)
            } catch let failure as DerivationFailure {
                #expect(failure.isPermanent)
            }
        }
    }
}
