/// Why a scan has no verdict.
public enum ClamAVError: Error, CustomStringConvertible {
    /// `clamd` closed the connection without answering (or was stopped, or took longer than the timeout).
    case noReply
    /// `clamd` answered with an error instead of a verdict (its words, such as
    /// `INSTREAM size limit exceeded. ERROR`: raise `StreamMaxLength` to the largest upload).
    case scannerError(String)
    /// The answer is not one `clamd` gives.
    case unexpectedReply(String)

    public var description: String {
        switch self {
        case .noReply: "clamd closed the connection without a verdict"
        case .scannerError(let text): "clamd answered: \(text)"
        case .unexpectedReply(let text): "clamd answered something unexpected: \(text.prefix(200))"
        }
    }
}
