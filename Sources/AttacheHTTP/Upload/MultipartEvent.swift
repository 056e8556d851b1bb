import NIOCore

/// What the multipart reader found in the bytes it was fed, in order.
package enum MultipartEvent {
    /// A new part starts; its header fields, names lower-cased.
    case partStart(headers: [(name: String, value: String)])
    /// Bytes of the current part's body.
    case body(ByteBuffer)
    /// The current part is complete.
    case partEnd
}
