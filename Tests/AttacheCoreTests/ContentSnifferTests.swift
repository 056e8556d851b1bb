import AttacheCore
import Testing

@Suite("Content sniffing and the upload policy", .timeLimit(.minutes(3)))
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
        (Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8 ".utf8), .webp),
        ([0x49, 0x49, 0x2A, 0x00, 0x08, 0, 0, 0], .tiff),
        ([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 0x08], .tiff),
        ([0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8), .heif),
        ([0, 0, 0, 0x18] + Array("ftypmif1".utf8), .heif),
        ([0, 0, 0, 0x18] + Array("ftypqt  ".utf8), .isoMedia),
        (Array("{\\rtf1\\ansi Hello}".utf8), .rtf),
        (Array("From: jan@example.com\r\nSubject: lease\r\n\r\nSigned.".utf8), .text),
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

    @Test func aNameWithoutExtensionGetsTheMostGeneralTypeOfItsContent() throws {
        let policy = try UploadPolicy()
        #expect(try policy.resolveType(fileName: "README", format: .text).name == "txt")
        #expect(try policy.resolveType(fileName: "bundle", format: .zip).name == "zip")
        #expect(try policy.resolveType(fileName: "IMG_0001", format: .heif).name == "heic")
        let csvOnly = try UploadPolicy(allowedTypeNames: ["csv", "pdf"])
        #expect(try csvOnly.resolveType(fileName: "export", format: .text).name == "csv")
    }

    @Test(arguments: [
        ("photo.heic", ContentFormat.heif, "heic"), ("photo.HEIF", .heif, "heic"), ("scan.tif", .tiff, "tiff"),
        ("logo.webp", .webp, "webp"), ("deck.pptx", .zip, "pptx"), ("letter.odt", .zip, "odt"), ("sheet.ods", .zip, "ods"),
        ("slides.odp", .zip, "odp"), ("memo.rtf", .rtf, "rtf"), ("mail.eml", .text, "eml"), ("mail.msg", .ole2, "msg"),
        ("memo.txt", .rtf, "txt"),
    ])
    func typesPeopleAttachAreKnownAndAllowedByDefault(fileName: String, format: ContentFormat, type: String) throws {
        #expect(try UploadPolicy().resolveType(fileName: fileName, format: format).name == type)
        #expect(try UploadPolicy(allowedTypeNames: [type]).allowedTypes.map(\.name) == [type])
    }

    @Test func anImageNamedForAnotherImageTypeIsStoredUnderItsRealExtension() throws {
        let policy = try UploadPolicy()
        let type = try policy.resolveType(fileName: "IMG_0001.jpg", format: .png)
        #expect(type.name == "png")
        #expect(type.fileName(for: "IMG_0001.jpg") == "IMG_0001.png")
        #expect(type.fileName(for: "scan") == "scan.png")
        #expect(type.fileName(for: "a.PNG") == "a.PNG")
        // Not between an image and something else: refused, with the fix in the message.
        #expect {
            try policy.resolveType(fileName: "lease.pdf", format: .png)
        } throws: { error in
            (error as? AttacheError)?.message == "The content of 'lease.pdf' is not a .pdf file. It looks like a .png file: rename it to .png and upload it again."
        }
    }

    @Test func anUnknownTypeInTheAllowListNamesTheKnownOnes() {
        #expect {
            try UploadPolicy(allowedTypeNames: ["pdf", "exe"])
        } throws: { error in
            (error as? AttacheError)?.message == "Unknown file type 'exe' in the allow-list. Known types: \(FileType.catalogList)."
        }
        #expect(FileType.catalogList.hasPrefix("pdf, txt, csv, rtf, eml, zip, docx"))
    }

    @Test func aNameAloneIsCheckedBeforeContent() throws {
        let policy = try UploadPolicy()
        try policy.checkName("lease.pdf")
        try policy.checkName("README")
        #expect(throws: AttacheError.self) { try policy.checkName("setup.exe") }
    }

    @Test(arguments: [
        ("200MB", Int64(200_000_000)), ("200 MiB", 209_715_200), ("1.5GB", 1_500_000_000), ("52428800", 52_428_800),
        ("10k", 10_240), ("1 TB", 1_000_000_000_000), ("0", 0),
    ])
    func byteCountsParseWithUnits(text: String, bytes: Int64) {
        #expect(ByteCountText.parse(text) == bytes)
    }

    @Test func byteCountsThatAreNotOneAreRefused() {
        for text in ["", "MB", "-1", "12 apples", "1e9", "99999999999999999999"] {
            #expect(ByteCountText.parse(text) == nil, "\(text)")
        }
    }

    @Test(arguments: [
        (Int64(52_428_800), "50 MiB"), (200_000_000, "200 MB"), (5_368_709_120, "5 GiB"), (1_500_000_000, "1500 MB"),
        (300, "300 bytes"), (1, "1 byte"), (1536, "1.5 KiB"), (1_234_567, "1.2 MiB"),
        // Past Int64.max / 10, where counting tenths overflowed (a declared length the fuzz sent).
        (2_432_902_008_176_640_001, "2212711.5 TiB"), (Int64.max, "8388608.0 TiB"),
    ])
    func byteCountsReadAsConfigured(bytes: Int64, text: String) {
        #expect(ByteCountText.describe(bytes) == text)
    }

    @Test func kindsFollowMimeTypes() {
        #expect(FileKind(mimeType: "image/png") == .image)
        #expect(FileKind(mimeType: "video/mp4") == .video)
        #expect(FileKind(mimeType: "audio/mpeg") == .audio)
        #expect(FileKind(mimeType: "application/pdf") == .document)
    }
}
