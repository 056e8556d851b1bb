import AttacheCore
import Testing

@Suite("Content sniffing and the upload policy")
struct ContentSnifferTests {
    @Test(arguments: [
        (Array("%PDF-1.7".utf8), ContentFormat.pdf),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], .png),
        ([0xFF, 0xD8, 0xFF, 0xE0], .jpeg),
        (Array("GIF89a".utf8), .gif),
        ([0x50, 0x4B, 0x03, 0x04], .zip),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], .ole2),
        (Array("Rar!\u{1A}\u{07}\u{00}".utf8), .rar),
        ([0, 0, 0, 0x18] + Array("ftypmp42".utf8), .isoMedia),
        ([0x00, 0x00, 0x01, 0xBA], .mpegVideo),
        (Array("ID3".utf8) + [3, 0], .mpegAudio),
        (Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVE".utf8), .wav),
        (Array("OggS".utf8), .ogg),
        ([0x1A, 0x45, 0xDF, 0xA3], .ebml),
        ([0x7F, 0x45, 0x4C, 0x46], .executable),
        (Array("MZ".utf8) + [0x90, 0], .executable),
        (Array("#!/bin/sh\n".utf8), .executable),
        (Array("<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8), .svg),
        (Array("name;amount\r\nJan;12\r\n".utf8), .text),
        (Array("<html><svg/></html>".utf8), .text),
        ([0x00, 0x01, 0x02, 0x03], .unknown),
    ] as [([UInt8], ContentFormat)])
    func recognisesSignatures(head: [UInt8], format: ContentFormat) {
        #expect(ContentSniffer.format(ofHead: head) == format)
    }

    @Test func policyChecksNameAgainstContent() throws {
        let policy = try UploadPolicy()
        #expect(try policy.resolveType(fileName: "a.pdf", format: .pdf).mimeType == "application/pdf")
        #expect(try policy.resolveType(fileName: "a.JPEG", format: .jpeg).name == "jpg")
        #expect(try policy.resolveType(fileName: "notes.txt", format: .svg).name == "txt")
        #expect(try policy.resolveType(fileName: "scan", format: .png).name == "png")
        #expect(throws: AttacheError.self) { try policy.resolveType(fileName: "invoice.pdf", format: .executable) }
        #expect(throws: AttacheError.self) { try policy.resolveType(fileName: "a.pdf", format: .png) }
        #expect(throws: AttacheError.self) { try policy.resolveType(fileName: "a.html", format: .text) }
        let narrow = try UploadPolicy(allowedTypeNames: ["pdf"])
        #expect(throws: AttacheError.self) { try narrow.resolveType(fileName: "a.png", format: .png) }
        #expect(throws: AttacheError.self) { try UploadPolicy(allowedTypeNames: ["exe"]) }
    }

    @Test func kindsFollowMimeTypes() {
        #expect(FileKind(mimeType: "image/png") == .image)
        #expect(FileKind(mimeType: "video/mp4") == .video)
        #expect(FileKind(mimeType: "audio/mpeg") == .audio)
        #expect(FileKind(mimeType: "application/pdf") == .document)
    }
}
