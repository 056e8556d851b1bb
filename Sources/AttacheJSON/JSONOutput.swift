import Foundation

/// The bytes of one JSON document being written, and the objects and arrays still open in it.
///
/// Codable has no "container finished" call, so a container is closed when the value that opened it
/// returns from `encode(to:)`, or when a container further out writes again (its nested containers are
/// then complete).
///
/// Its buffers are `@exclusivity(unchecked)`: the dynamic exclusivity checks a class's stored
/// properties otherwise get on every access were 10 % of a 50-attachment list (perf, BENCHMARKS.md). It
/// is safe because one output belongs to one document being written by one caller, never shared
/// between tasks, and no method hands out a reference to a buffer that another access could overlap.
final class JSONOutput {
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    @exclusivity(unchecked) private var frames: [Frame] = []
    /// Members of the open objects, innermost last; each frame knows where its own begin.
    @exclusivity(unchecked) private var members: [Member] = []
    /// The open objects' keys as given (UTF-8, unescaped), which is the order Foundation sorts by.
    @exclusivity(unchecked) private var keyBytes: [UInt8] = []
    let keys: JSONBodyEncoder.KeyStyle
    /// The coding path, kept only when keys are renamed (the rename reads it).
    private(set) var codingPath: [any CodingKey] = []

    private struct Frame {
        var isObject: Bool
        /// Index of the first byte after `{` or `[`.
        var start: Int
        var count = 0
        /// Index into `members` of this object's first member.
        var firstMember: Int
    }

    /// `"key":value`, starting at `start` (its leading comma excluded); the key's unescaped bytes are at
    /// `keyStart..<keyEnd` of `keyBytes`.
    private struct Member {
        var start: Int
        var keyStart: Int
        var keyEnd: Int
    }

    init(keys: JSONBodyEncoder.KeyStyle) {
        self.keys = keys
        bytes.reserveCapacity(1024)
    }

    var tracksPath: Bool {
        if case .renamed = keys { return true }
        return false
    }

    func finish() -> [UInt8] {
        close(downTo: 0)
        if bytes.isEmpty { bytes = Array("{}".utf8) }
        return bytes
    }

    // MARK: Containers

    /// Opens an object or array for the value at `slot` (the number of frames open around it), or
    /// returns the one already open there when a value asks twice.
    /// - Returns: the frame's index, which its container passes back on every write.
    func open(object: Bool, slot: Int) -> Int {
        close(downTo: slot + 1)
        if frames.count == slot + 1, frames[slot].isObject == object {
            return slot
        }
        close(downTo: slot)
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        frames.append(Frame(isObject: object, start: bytes.count, firstMember: members.count))
        return frames.count - 1
    }

    /// Starts a member of the object at `frame`: closes what is open inside it, writes the comma and key.
    func beginMember(in frame: Int, key: some CodingKey) {
        if case .renamed(let rename) = keys {
            codingPath.append(key)
            let name = rename(codingPath).stringValue
            codingPath.removeLast()
            beginMember(in: frame, name: name)
        } else {
            beginMember(in: frame, name: key.stringValue)
        }
    }

    /// Starts a member called `name`, as written (no renaming).
    func beginMember(in frame: Int, name: String) {
        close(downTo: frame + 1)
        if frames[frame].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[frame].count += 1
        let start = bytes.count
        let keyStart = keyBytes.count
        keyBytes.append(contentsOf: name.utf8)
        members.append(Member(start: start, keyStart: keyStart, keyEnd: keyBytes.count))
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts a member whose name needs no escaping and comes in sorted order, so nothing is recorded for
    /// sorting (``JSONWritable`` types).
    func beginOrderedMember(in frame: Int, name: StaticString) {
        close(downTo: frame + 1)
        if frames[frame].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[frame].count += 1
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an element of the array at `frame`.
    func beginElement(in frame: Int) {
        close(downTo: frame + 1)
        if frames[frame].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[frame].count += 1
    }

    func count(of frame: Int) -> Int {
        frame < frames.count ? frames[frame].count : 0
    }

    /// Closes frames until `depth` remain.
    private func close(downTo depth: Int) {
        while frames.count > depth {
            let frame = frames.removeLast()
            if frame.isObject {
                sortMembers(of: frame)
                bytes.append(UInt8(ascii: "}"))
            } else {
                bytes.append(UInt8(ascii: "]"))
            }
        }
    }

    private func sortMembers(of frame: Frame) {
        let memberCount = members.count - frame.firstMember
        defer {
            if memberCount > 0 { keyBytes.removeSubrange(members[frame.firstMember].keyStart...) }
            members.removeLast(memberCount)
        }
        guard memberCount > 1 else { return }
        let own = members[frame.firstMember...]
        let inOrder = zip(own, own.dropFirst()).allSatisfy { !keyPrecedes($1, $0) }
        guard !inOrder else { return }
        let region = Array(bytes[frame.start...])
        let base = frame.start
        var ends = own.dropFirst().map { $0.start - 1 - base }  // a comma precedes every later member
        ends.append(region.count)
        let sorted = own.indices.sorted { keyPrecedes(members[$0], members[$1]) }
        bytes.removeSubrange(frame.start...)
        for (position, index) in sorted.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            let offset = index - frame.firstMember
            bytes.append(contentsOf: region[(members[index].start - base)..<ends[offset]])
        }
    }

    private func keyPrecedes(_ a: Member, _ b: Member) -> Bool {
        keyBytes[a.keyStart..<a.keyEnd].lexicographicallyPrecedes(keyBytes[b.keyStart..<b.keyEnd])
    }

    // MARK: Values

    /// Writes any value in the current slot, closing what it opens.
    func encodeValue<Value: Encodable>(_ value: Value) throws {
        // Type comparisons, not casts: a failed `as?` costs a runtime conformance search per value.
        if Value.self == Date.self {
            appendDate(unsafeBitCast(value, to: Date.self))
        } else if Value.self == Data.self {
            appendString(unsafeBitCast(value, to: Data.self).base64EncodedString())
        } else if Value.self == URL.self {
            appendString(unsafeBitCast(value, to: URL.self).absoluteString)
        } else if tracksPath, let dictionary = value as? [String: any Encodable] {
            // Foundation writes a dictionary's own keys as they are, whatever the key style.
            let frame = open(object: true, slot: frames.count)
            for (key, member) in dictionary {
                beginMember(in: frame, name: key)
                try encodeValue(member, at: JSONIndexKey(stringValue: key))
            }
            close(downTo: frame)
        } else if let writable = value as? any JSONWritable {
            var object = JSONObjectWriter(output: self, frame: open(object: true, slot: frames.count))
            try writable.writeJSON(to: &object)
            close(downTo: object.frame)
        } else {
            let depth = frames.count
            let before = bytes.count
            try value.encode(to: JSONValueEncoder(output: self, slot: depth))
            close(downTo: depth)
            if bytes.count == before { bytes.append(contentsOf: "{}".utf8) }
        }
    }

    /// Encodes `value` under `key` (the key only joins the coding path when keys are renamed).
    func encodeValue<Value: Encodable>(_ value: Value, at key: some CodingKey) throws {
        guard tracksPath else { return try encodeValue(value) }
        codingPath.append(key)
        defer { codingPath.removeLast() }
        try encodeValue(value)
    }

    func appendNull() {
        bytes.append(contentsOf: "null".utf8)
    }

    func appendBool(_ value: Bool) {
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    func appendInteger(_ value: some BinaryInteger) {
        bytes.append(contentsOf: value.description.utf8)
    }

    func appendFloatingPoint(_ value: some BinaryFloatingPoint & LosslessStringConvertible) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "JSON has no \(value)."))
        }
        JSONText.appendNumber(text: value.description, to: &bytes)
    }

    func appendString(_ value: String) {
        JSONText.appendString(value, to: &bytes)
    }

    /// `yyyy-MM-ddTHH:mm:ssZ`, what `JSONEncoder.DateEncodingStrategy.iso8601` writes.
    func appendDate(_ date: Date) {
        bytes.append(UInt8(ascii: "\""))
        TimestampFormat.writeUTCSeconds(date, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}
