import Foundation
import NIOCore

/// Builds `multipart/form-data` bodies for tests.
package struct MultipartForm {
    package let boundary = "attache-test-\(UUID().uuidString)"
    package private(set) var body = ByteBuffer()
    private var closed = false

    package init() {}

    package var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    package mutating func addField(_ name: String, _ value: String) {
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }

    package mutating func addFile(_ name: String, fileName: String, contentType: String = "application/octet-stream", bytes: [UInt8]) {
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: \(contentType)\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n")
    }

    /// A part with a type but no file name, as Node's `form-data` sends a Buffer.
    package mutating func addUnnamedPart(_ name: String, contentType: String, bytes: [UInt8]) {
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\nContent-Type: \(contentType)\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n")
    }

    /// Appends the closing delimiter.
    package mutating func close() {
        guard !closed else { return }
        closed = true
        body.writeString("--\(boundary)--\r\n")
    }

    /// A form with one file part, closed.
    package static func file(_ name: String = "file", fileName: String, bytes: [UInt8], fields: [(String, String)] = []) -> MultipartForm {
        var form = MultipartForm()
        for (key, value) in fields { form.addField(key, value) }
        form.addFile(name, fileName: fileName, bytes: bytes)
        form.close()
        return form
    }
}

/// Sample contents with real signatures.
package enum Samples {
    package static func pdf(size: Int = 2000, seed: UInt8 = 1) -> [UInt8] {
        var bytes = Array("%PDF-1.7\n".utf8)
        var value = seed
        while bytes.count < size {
            value = value &* 31 &+ 7
            bytes.append(value)
        }
        return bytes
    }

    package static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x11, count: 200)
    package static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01] + Array(repeating: 0, count: 200)
    package static let mp3: [UInt8] = Array("ID3".utf8) + [3, 0, 0, 0, 0, 0] + Array(repeating: 0x55, count: 300)
    package static let text: [UInt8] = Array("name,amount\nJan,12\n".utf8)
}
