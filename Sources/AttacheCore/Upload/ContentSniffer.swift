import Foundation

/// Decides a ``ContentFormat`` from the first bytes of content (magic numbers).
public enum ContentSniffer {
    /// How many leading bytes the sniffer wants to see before it decides.
    public static let headLength = 4096

    public static func format(ofHead head: [UInt8]) -> ContentFormat {
        if let binary = binaryFormat(head) { return binary }
        guard TextValidator.isText(head) else { return .unknown }
        if head.starts(with: Array("{\\rtf".utf8)) { return .rtf }
        return looksLikeSVG(head) ? .svg : .text
    }

    private static func binaryFormat(_ h: [UInt8]) -> ContentFormat? {
        func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            h.count >= offset + bytes.count && Array(h[offset..<offset + bytes.count]) == bytes
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole2 }
        if starts(Array("Rar!\u{1A}\u{07}".utf8)) { return .rar }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts(Array("ftyp".utf8), at: 4) {
            let brand = h.count >= 12 ? String(decoding: h[8..<12], as: UTF8.self) : ""
            return heifBrands.contains(brand) ? .heif : .isoMedia
        }
        if starts([0x00, 0x00, 0x01, 0xBA]) || starts([0x00, 0x00, 0x01, 0xB3]) { return .mpegVideo }
        if starts(Array("RIFF".utf8)) && starts(Array("WAVE".utf8), at: 8) { return .wav }
        if starts(Array("OggS".utf8)) { return .ogg }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) { return .ebml }
        if starts(Array("ID3".utf8)) || (h.count >= 2 && h[0] == 0xFF && h[1] & 0xE0 == 0xE0) { return .mpegAudio }
        if isExecutable(h, starts: starts) { return .executable }
        return nil
    }

    /// Major brands of HEIF files (ISO/IEC 23008-12): HEVC-coded images and sequences, and the
    /// generic image brands phones write.
    private static let heifBrands: Set<String> = ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"]

    private static func isExecutable(_ h: [UInt8], starts: ([UInt8], Int) -> Bool) -> Bool {
        let signatures: [[UInt8]] = [
            [0x7F, 0x45, 0x4C, 0x46],  // ELF
            [0x4D, 0x5A],  // PE / DOS "MZ"
            [0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF],  // Mach-O
            [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE],
            [0xCA, 0xFE, 0xBA, 0xBE],  // Mach-O universal / Java class
            [0x23, 0x21],  // "#!" script
        ]
        return signatures.contains { starts($0, 0) }
    }

    private static func looksLikeSVG(_ head: [UInt8]) -> Bool {
        let text = String(decoding: head, as: UTF8.self)
        guard let svg = text.range(of: "<svg") else { return false }
        // Only XML prologue, comments, doctype and white space may precede the root element.
        let before = text[..<svg.lowerBound]
        return !before.contains { $0 == "<" } || before.trimmingPrologue.isEmpty
    }
}

extension Substring {
    /// Drops `<?xml …?>`, `<!-- … -->` and `<!DOCTYPE …>` blocks and white space.
    fileprivate var trimmingPrologue: Substring {
        var rest = self.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        while rest.hasPrefix("<?") || rest.hasPrefix("<!") {
            let terminator = rest.hasPrefix("<!--") ? "-->" : ">"
            guard let end = rest.range(of: terminator) else { return rest }
            rest = rest[end.upperBound...].drop(while: { $0.isWhitespace })
        }
        return rest
    }
}
