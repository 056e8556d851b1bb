/// A streaming scanner of XML markup for text extraction: bytes go in as they are inflated, and it
/// reports start tags (local name and raw attributes), end tags and character data (entities of XML
/// decoded). It never processes a DTD, so no entity expands and nothing external is fetched; a
/// construct split across chunks waits in a carry of at most ``maximumCarry`` bytes.
struct MarkupScanner {
    enum Event {
        case start(name: Substring, attributes: Substring, selfClosing: Bool)
        case end(name: Substring)
        case text([UInt8])
    }

    /// The longest tag (or entity) kept across chunks; a longer one ends the scan as malformed.
    static let maximumCarry = 1 << 20
    private var carry: [UInt8] = []

    /// Scans `chunk`, reporting events to `handle`, which answers whether to go on.
    /// - Returns: `false` when `handle` asked to stop, or the markup is malformed past repair.
    mutating func scan(_ chunk: UnsafeRawBufferPointer, _ handle: (Event) -> Bool) -> Bool {
        var bytes = carry
        bytes.append(contentsOf: chunk)
        carry = []
        var at = 0
        while at < bytes.count {
            if bytes[at] == UInt8(ascii: "<") {
                guard let (event, next) = Self.markup(bytes, from: at) else {
                    carry = Array(bytes[at...])
                    return carry.count <= Self.maximumCarry
                }
                at = next
                if let event, !handle(event) { return false }
            } else {
                let end = bytes[at...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
                var textEnd = end
                // An entity cut by the chunk's end waits for the rest.
                if end == bytes.count, let amp = bytes[at..<end].lastIndex(of: UInt8(ascii: "&")), !bytes[amp..<end].contains(UInt8(ascii: ";")) {
                    textEnd = amp
                    carry = Array(bytes[amp..<end])
                }
                if textEnd > at, !handle(.text(Self.decodeEntities(bytes[at..<textEnd]))) { return false }
                at = end
            }
        }
        return true
    }

    /// The markup construct at `start` (a `<`) and where the next begins; `nil` when it is not complete
    /// in `bytes`. Comments, processing instructions and declarations give no event.
    private static func markup(_ bytes: [UInt8], from start: Int) -> (Event?, Int)? {
        func find(_ terminator: String, after from: Int) -> Int? {
            let pattern = Array(terminator.utf8)
            var index = from
            while index + pattern.count <= bytes.count {
                if bytes[index] == pattern[0], Array(bytes[index..<(index + pattern.count)]) == pattern { return index + pattern.count }
                index += 1
            }
            return nil
        }
        let rest = bytes[start...]
        if rest.starts(with: Array("<!--".utf8)) { return find("-->", after: start + 4).map { (nil, $0) } }
        if rest.starts(with: Array("<![CDATA[".utf8)) {
            guard let end = find("]]>", after: start + 9) else { return nil }
            return (.text(Array(bytes[(start + 9)..<(end - 3)])), end)
        }
        guard let close = bytes[start...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let inside = bytes[(start + 1)..<close]
        guard let first = inside.first else { return (nil, close + 1) }
        if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") { return (nil, close + 1) }
        let isEnd = first == UInt8(ascii: "/")
        let selfClosing = inside.last == UInt8(ascii: "/")
        let body = String(decoding: inside.dropFirst(isEnd ? 1 : 0).dropLast(selfClosing ? 1 : 0), as: UTF8.self)[...]
        let nameEnd = body.firstIndex { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" } ?? body.endIndex
        let qualified = body[..<nameEnd]
        let name = qualified.lastIndex(of: ":").map { qualified[qualified.index(after: $0)...] } ?? qualified
        if isEnd { return (.end(name: name), close + 1) }
        return (.start(name: name, attributes: body[nameEnd...], selfClosing: selfClosing), close + 1)
    }

    /// Character data with XML's five entities and character references decoded; any other `&…;`
    /// (which only a DTD could define) is kept as written.
    static func decodeEntities(_ text: ArraySlice<UInt8>) -> [UInt8] {
        guard text.contains(UInt8(ascii: "&")) else { return Array(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var at = text.startIndex
        while at < text.endIndex {
            guard text[at] == UInt8(ascii: "&"), let semicolon = text[at...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                out.append(text[at])
                at += 1
                continue
            }
            let name = String(decoding: text[(at + 1)..<semicolon], as: UTF8.self)
            let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            var scalar: Unicode.Scalar?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if name.hasPrefix("#") {
                scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
            }
            if let replacement = named[name] ?? scalar.map({ String(Character($0)) }) {
                out.append(contentsOf: replacement.utf8)
            } else {
                out.append(contentsOf: text[at...semicolon])
            }
            at = semicolon + 1
        }
        return out
    }
}
